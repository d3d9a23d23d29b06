/**
 * The controller's in-memory IPAM (pkg/ipam), as pure functions over immutable data.
 * Mirrors the behaviour that matters here (v1.12.28 and master alike):
 * - GetRandomAddress is idempotent per nic and takes the lowest free address (not random);
 *   released addresses are reused only once the never-used ones run out;
 * - a missing subnet is ErrNoAvailable;
 * - ReleaseAddressByPod(owner, "") releases the owner's nics in every subnet; with a subnet,
 *   only there; a missing subnet is a silent no-op;
 * - DeleteSubnet is a plain map delete: every address in it is forgotten.
 * Simplification: IPv4 only, no IP pools, no static addresses other than start-up re-registration.
 */

export interface IpamSubnet {
  readonly cidr: string;
  /** Host addresses in order, excludes removed. */
  readonly pool: readonly string[];
  /** address -> owner (`ns/pod`) and nic (port name). */
  readonly using: Readonly<Record<string, { readonly owner: string; readonly nic: string }>>;
  /** nic -> address. */
  readonly nics: Readonly<Record<string, string>>;
  /** Released addresses, reused only after the never-used ones. */
  readonly released: readonly string[];
}

export type Ipam = Readonly<Record<string, IpamSubnet>>;

/** Host addresses of a small IPv4 CIDR (network and broadcast excluded). */
export function hostAddresses(cidr: string): string[] {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const parts = base.split('.').map(Number);
  const start = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const size = 2 ** (32 - bits);
  const out: string[] = [];
  for (let i = 1; i < size - 1; i++) {
    const n = start + i;
    out.push([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  return out;
}

/** ipam.AddOrUpdateSubnet: create, or keep allocations when it exists. */
export function addOrUpdateSubnet(ipam: Ipam, name: string, cidr: string, excludeIps: readonly string[]): Ipam {
  const existing = ipam[name];
  if (existing && existing.cidr === cidr) return ipam;
  const pool = hostAddresses(cidr).filter((a) => !excludeIps.includes(a));
  return { ...ipam, [name]: { cidr, pool, using: existing?.using ?? {}, nics: existing?.nics ?? {}, released: [] } };
}

/** ipam.DeleteSubnet: forget the subnet and all its addresses; no-op when absent. */
export function deleteSubnet(ipam: Ipam, name: string): Ipam {
  if (!(name in ipam)) return ipam;
  const { [name]: _gone, ...rest } = ipam;
  return rest;
}

export type AllocateResult = { readonly ok: true; readonly ipam: Ipam; readonly ip: string } | { readonly ok: false; readonly error: string };

/** ipam.GetRandomAddress(owner, nic, subnet): the nic's address if it has one, else the lowest free one. */
export function getRandomAddress(ipam: Ipam, owner: string, nic: string, subnetName: string): AllocateResult {
  const s = ipam[subnetName];
  if (!s) return { ok: false, error: 'AddressOutOfRange: no available ip' };
  const have = s.nics[nic];
  if (have) return { ok: true, ipam, ip: have };
  let ip = s.pool.find((a) => !(a in s.using) && !s.released.includes(a));
  let released = s.released;
  if (!ip) {
    ip = s.released.find((a) => !(a in s.using));
    released = s.released.filter((a) => a !== ip);
  }
  if (!ip) return { ok: false, error: 'AddressOutOfRange: no available ip' };
  return {
    ok: true,
    ip,
    ipam: { ...ipam, [subnetName]: { ...s, using: { ...s.using, [ip]: { owner, nic } }, nics: { ...s.nics, [nic]: ip }, released } },
  };
}

/** ipam.GetStaticAddress (start-up re-registration): take `ip` for the nic unless another owner holds it. */
export function getStaticAddress(ipam: Ipam, owner: string, nic: string, ip: string, subnetName: string): AllocateResult {
  const s = ipam[subnetName];
  if (!s) return { ok: false, error: 'AddressOutOfRange: no available ip' };
  const holder = s.using[ip];
  if (holder && holder.owner !== owner) return { ok: false, error: `AddressConflict: ${ip} held by ${holder.owner}` };
  return {
    ok: true,
    ip,
    ipam: { ...ipam, [subnetName]: { ...s, using: { ...s.using, [ip]: { owner, nic } }, nics: { ...s.nics, [nic]: ip }, released: s.released.filter((a) => a !== ip) } },
  };
}

function releaseWhere(s: IpamSubnet, match: (owner: string, nic: string) => boolean): IpamSubnet {
  const gone = Object.keys(s.using).filter((a) => match(s.using[a].owner, s.using[a].nic));
  if (gone.length === 0) return s;
  const using = { ...s.using };
  const nics = { ...s.nics };
  for (const a of gone) {
    delete nics[using[a].nic];
    delete using[a];
  }
  return { ...s, using, nics, released: [...s.released, ...gone] };
}

/** ipam.ReleaseAddressByPod(owner, subnet): subnet "" means every subnet; a missing subnet is a no-op. */
export function releaseAddressByPod(ipam: Ipam, owner: string, subnetName: string): Ipam {
  const names = subnetName === '' ? Object.keys(ipam) : subnetName in ipam ? [subnetName] : [];
  let out = ipam;
  for (const n of names) {
    const next = releaseWhere(out[n], (o) => o === owner);
    if (next !== out[n]) out = { ...out, [n]: next };
  }
  return out;
}

/** ipam.ReleaseAddressByNic(owner, nic, subnet) (master). */
export function releaseAddressByNic(ipam: Ipam, owner: string, nic: string, subnetName: string): Ipam {
  const s = ipam[subnetName];
  if (!s) return ipam;
  const next = releaseWhere(s, (o, n) => o === owner && n === nic);
  return next === s ? ipam : { ...ipam, [subnetName]: next };
}

/** ipam.GetSubnetIPRangeString: empty when nothing is in use. */
export function usingRange(ipam: Ipam, subnetName: string): string {
  const s = ipam[subnetName];
  if (!s) return '';
  return s.pool.filter((a) => a in s.using).join(',');
}
