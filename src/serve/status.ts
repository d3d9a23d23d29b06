/**
 * metav1.Status bodies of the errors `kuberace serve` answers with, shaped and worded like
 * kube-apiserver's (k8s.io/apimachinery/pkg/api/errors), so kubectl prints
 * `Error from server (NotFound): ips.kubeovn.io "x" not found`.
 */
import type { ApiError } from '../api/errors.ts';

export interface StatusBody {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string };
  readonly code: number;
}

/** A resource named by group and plural, as StatusDetails carry it (`kind` is the plural there). */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function status(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** An error of the API model (404 with its real message, 400 for a bad selector). */
export function fromApiError(e: ApiError, gr?: GroupResource): StatusBody {
  const details = gr ? { ...(e.objectName ? { name: e.objectName } : {}), group: gr.group, kind: gr.resource } : undefined;
  return status(e.code, e.reason, e.message, details);
}

/** NewMethodNotSupported: `delete is not supported on resources of kind "ips.kubeovn.io"`. */
export function methodNotSupported(gr: GroupResource, action: string): StatusBody {
  return status(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, { group: gr.group, kind: gr.resource });
}

/** The generic 404 of an unknown path. */
export function pathNotFound(): StatusBody {
  return status(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function badRequest(message: string): StatusBody {
  return status(400, 'BadRequest', message);
}
