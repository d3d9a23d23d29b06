/**
 * getPodKubeovnNets and its helpers: which networks (provider + subnet) a pod asks for.
 * Written once against ReconcileContext; event handlers run it through HandlerContext.run.
 */
import { isNotFound, type Effect, type StoredObject } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import { type Ctx, listerGetKeep } from './context.ts';
import { DEFAULT_PROVIDER, LOGICAL_SWITCH_ANNOTATION, NETWORKS_ANNOTATION, type Pod, type Subnet, annotation, attachmentProvider } from './objects.ts';

/**
 * Go's kubeovnNet, as far as the model uses it: the provider and the subnet's name (the model's
 * handlers read nothing else of the *Subnet it points to, so that is all they keep of the lister
 * reads: ctx.keep).
 */
export interface PodNet {
  readonly provider: string;
  readonly subnet: string;
  readonly isDefault: boolean;
}

const nameOf = (s: Subnet): string => s.metadata.name;

// mirrors pkg/controller/pod.go getPodDefaultSubnet (v1.12.28 ~1337; master ~1967 with #5364)
function* getPodDefaultSubnet(ctx: Ctx, pod: Pod, ignoreMissing: boolean): Generator<Effect, string | undefined, unknown> {
  let name = pod.metadata.annotations?.[LOGICAL_SWITCH_ANNOTATION];
  if (!name) {
    // Simplification: the namespace's first logical_switch, else ovn-default (no "first with free IPs" search).
    const switches = yield* listerGetKeep(ctx, 'Namespace', undefined, pod.metadata.namespace!, (ns: StoredObject) => ns.metadata.annotations?.[LOGICAL_SWITCH_ANNOTATION]);
    name = switches?.split(',')[0] || 'ovn-default';
  }
  try {
    return yield* ctx.keep(ctx.lister<Subnet>('Subnet').get(undefined, name), nameOf);
  } catch (e) {
    if (ignoreMissing && isNotFound(e)) return undefined;
    throw e;
  }
}

// mirrors pkg/controller/pod.go getPodAttachmentNet (v1.12.28 ~1422: NAD by API GET; master ~2105: lister, #5929)
function* getPodAttachmentNet(ctx: Ctx, cfg: KubeOvnConfig, pod: Pod, ignoreMissing: boolean): Generator<Effect, PodNet[], unknown> {
  const raw = pod.metadata.annotations?.[NETWORKS_ANNOTATION];
  if (!raw) return [];
  // Kept: each subnet's name and provider (what the lookup by provider below reads).
  const subnets = yield* ctx.keep(ctx.lister<Subnet>('Subnet').list(), (all) => all.map((s) => ({ name: s.metadata.name, provider: s.spec?.provider })));
  const out: PodNet[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [nadNs, nadName] = entry.includes('/') ? entry.split('/') : [pod.metadata.namespace!, entry];
    const provider = attachmentProvider(nadName, nadNs);
    try {
      if (cfg.nadFromLister) yield* ctx.ignoreResult(ctx.lister('NetworkAttachmentDefinition').get(nadNs, nadName));
      else yield* ctx.ignoreResult(ctx.client.get('NetworkAttachmentDefinition', nadNs, nadName));
    } catch (e) {
      // #5929: for a deleting pod a missing NAD does not hide the network; the subnet comes from annotations.
      if (!(ignoreMissing && isNotFound(e))) throw e;
    }
    const subnetName =
      pod.metadata.annotations?.[annotation(provider, 'logical_switch')] ??
      subnets.find((s) => s.provider === provider)?.name ??
      pod.metadata.annotations?.[LOGICAL_SWITCH_ANNOTATION];
    if (!subnetName) continue;
    try {
      out.push({ provider, subnet: yield* ctx.keep(ctx.lister<Subnet>('Subnet').get(undefined, subnetName), nameOf), isDefault: false });
    } catch (e) {
      if (!(ignoreMissing && isNotFound(e))) throw e;
    }
  }
  return out;
}

/**
 * mirrors pkg/controller/pod.go getPodKubeovnNets (v1.12.28 ~484): attachments first, the
 * default network last; any missing subnet or NAD fails the whole call. With
 * skipMissingSubnetWhenDeleting (#5364/#5929) a deleting pod's missing networks are skipped.
 */
export function* getPodKubeovnNets(ctx: Ctx, cfg: KubeOvnConfig, pod: Pod): Generator<Effect, PodNet[], unknown> {
  const ignoreMissing = cfg.skipMissingSubnetWhenDeleting && !!pod.metadata.deletionTimestamp;
  const defaultSubnet = yield* getPodDefaultSubnet(ctx, pod, ignoreMissing);
  const attachments = yield* getPodAttachmentNet(ctx, cfg, pod, ignoreMissing);
  return defaultSubnet ? [...attachments, { provider: DEFAULT_PROVIDER, subnet: defaultSubnet, isDefault: true }] : attachments;
}

/** Providers whose `<provider>.kubernetes.io/allocated` annotation is "true". */
export function allocatedProviders(pod: Pod): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(pod.metadata.annotations ?? {})) {
    if (v === 'true' && k.endsWith('.kubernetes.io/allocated')) out.push(k.slice(0, -'.kubernetes.io/allocated'.length));
  }
  return out.sort();
}
