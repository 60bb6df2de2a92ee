import { LookupAddress, lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import axios, { AxiosInstance, CreateAxiosDefaults } from 'axios';
import ipaddr from 'ipaddr.js';

/**
 * The one egress policy of every outbound call of the service (connector runs, test calls, token requests and
 * every redirect): only public unicast addresses are reached, unless the allow-list of the configuration
 * (`EGRESS_ALLOW`) names the host, address or network. Refused: loopback, link-local (169.254.0.0/16,
 * fe80::/10), private, unique-local, carrier-grade NAT, unspecified, multicast, reserved ranges and cloud
 * metadata host names. The address is checked after DNS resolution, in the `lookup` of the agents that open the
 * connection, so the address checked is the address connected to (no time-of-check/time-of-use gap).
 */

/** Host names of cloud metadata services; refused by name (their addresses are refused by range as well). */
export const METADATA_HOSTS = ['metadata', 'metadata.google.internal', 'metadata.goog', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal'];

export interface EgressAllowEntry {
  /** a host name (lower case), an address, or a network */
  host?: string;
  network?: [ipaddr.IPv4 | ipaddr.IPv6, number];
  /** only this port, when given */
  port?: number;
}

export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
  constructor(readonly host: string, readonly reason: string) {
    super(`outbound call to ${host} refused: ${reason}; an administrator may allow it with EGRESS_ALLOW`);
    this.name = 'EgressRefusedError';
  }
}

/** Parses `EGRESS_ALLOW`: a comma list of `host`, `host:port`, `address`, `[v6]:port` or `network/prefix`. */
export function parseEgressAllow(value: string): { entries: EgressAllowEntry[]; errors: string[] } {
  const entries: EgressAllowEntry[] = [];
  const errors: string[] = [];
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw.includes('/')) {
      try {
        entries.push({ network: ipaddr.parseCIDR(raw) });
      } catch {
        errors.push(`EGRESS_ALLOW: "${raw}" is not a network (address/prefix)`);
      }
      continue;
    }
    const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(raw) ?? /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(raw) ?? (isIP(raw) === 6 ? [raw, raw] : null);
    const port = m?.[2] === undefined ? undefined : Number(m[2]);
    if (!m || (port !== undefined && (port < 1 || port > 65535)) || !/^[A-Za-z0-9.:-]+$/.test(m[1])) {
      errors.push(`EGRESS_ALLOW: "${raw}" is not a host, host:port, address or network`);
      continue;
    }
    entries.push({ host: normaliseHost(m[1]), port });
  }
  return { entries, errors };
}

function normaliseHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}

/** Why an address may not be reached without an allow-list entry, or null for a public unicast address. */
export function restrictedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  return range === 'unicast' ? null : `${parsed.toString()} is a ${range} address`;
}

export class EgressPolicy {
  constructor(private readonly entries: readonly EgressAllowEntry[] = []) {}

  static fromConfig(value: string | undefined): EgressPolicy {
    return new EgressPolicy(parseEgressAllow(value ?? '').entries);
  }

  /** Checks a URL before a request (and before each redirect): scheme, literal addresses, metadata names. */
  checkUrl(rawUrl: string): void {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new EgressRefusedError('(unparsable URL)', 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EgressRefusedError(url.protocol, 'only http and https are allowed');
    const host = normaliseHost(url.hostname);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (this.namesHost(host, port)) return;
    if (ipaddr.isValid(host)) {
      const restricted = restrictedRange(host);
      if (restricted && !this.coversAddress(host, port)) throw new EgressRefusedError(host, restricted);
      return;
    }
    if (METADATA_HOSTS.includes(host)) throw new EgressRefusedError(host, 'a cloud metadata host');
  }

  /** Checks the addresses a host name resolved to (for a connection to `port`); every one must be allowed. */
  checkResolved(hostname: string, addresses: readonly string[], port?: number): void {
    const host = normaliseHost(hostname);
    if (this.namesHost(host, port)) return;
    if (METADATA_HOSTS.includes(host)) throw new EgressRefusedError(host, 'a cloud metadata host');
    if (addresses.length === 0) throw new EgressRefusedError(host, 'it resolves to no address');
    for (const address of addresses) {
      const restricted = restrictedRange(address);
      if (restricted && !this.coversAddress(address, port)) throw new EgressRefusedError(host, `it resolves to ${restricted}`);
    }
  }

  /** A DNS `lookup` for sockets to `port`: resolves, then checks what it resolved to before the socket connects. */
  lookupFor(port: number | undefined) {
    return (hostname: string, options: unknown, callback: (...args: unknown[]) => void): void => {
      const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean; family?: number };
      dnsLookup(hostname, { ...opts, all: true } as { all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error);
        try {
          this.checkResolved(hostname, addresses.map((a) => a.address), port);
        } catch (refused) {
          return callback(refused);
        }
        if (opts.all) return callback(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }

  /**
   * Agents whose every socket resolves through `lookupFor(port)` (axios: `httpAgent` / `httpsAgent`; axios hands
   * them to its redirect follower too). Literal addresses skip DNS: `checkUrl` covers them.
   */
  agents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
    const guard = <A extends http.Agent>(agent: A): A => {
      const create = (agent as unknown as { createConnection: (o: Record<string, unknown>, cb?: unknown) => unknown }).createConnection.bind(agent);
      (agent as unknown as { createConnection: unknown }).createConnection = (options: Record<string, unknown>, cb?: unknown) => {
        const host = String(options.host ?? options.hostname ?? '');
        if (isIP(host.replace(/^\[|\]$/g, ''))) this.checkUrl(`http://${isIP(host) === 6 ? `[${host}]` : host}:${Number(options.port) || 80}/`);
        return create({ ...options, lookup: this.lookupFor(Number(options.port) || undefined) }, cb);
      };
      return agent;
    };
    return { httpAgent: guard(new http.Agent()), httpsAgent: guard(new https.Agent()) };
  }

  private namesHost(host: string, port?: number): boolean {
    return this.entries.some((e) => e.host === host && (e.port === undefined || e.port === port));
  }

  /** An entry bound to a port covers only connections known to go to that port. */
  private coversAddress(address: string, port?: number): boolean {
    const parsed = ipaddr.process(address);
    return this.entries.some((e) => {
      if (e.network) return e.network[0].kind() === parsed.kind() && parsed.match(e.network as [ipaddr.IPv4, number]);
      return e.host === parsed.toString() && (e.port === undefined || e.port === port);
    });
  }
}

/**
 * An axios instance whose every request goes through the policy: the URL (and every redirect's URL) is checked
 * before it is requested, and every socket's resolved address before it connects.
 */
export function egressAxios(policy: EgressPolicy, config: CreateAxiosDefaults = {}): AxiosInstance {
  const instance = axios.create({
    ...config,
    ...policy.agents(),
    // no proxy from the environment: the address checked must be the address connected to
    proxy: false,
    beforeRedirect: (options: Record<string, unknown>) => {
      policy.checkUrl(String(options.href ?? `${String(options.protocol)}//${String(options.hostname)}:${String(options.port ?? '')}${String(options.path ?? '/')}`));
    },
  } as CreateAxiosDefaults);
  instance.interceptors.request.use((request) => {
    policy.checkUrl(instance.getUri(request));
    return request;
  });
  return instance;
}
