// Requests to URLs a client names (OAuth client metadata documents, A2A push notification webhooks), guarded
// against SSRF: https only, every address the name resolves to must be public (checked where the socket
// connects, so DNS rebinding cannot swap it; an IP literal is checked before), no redirects followed, a
// short timeout and a small answer. One set of rules, configured once (config.clientMetadataDocuments).
import { lookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { request } from "node:https";
import { BlockList, isIP } from "node:net";
import { rootCertificates } from "node:tls";

export interface PublicHttpsOptions {
  timeoutMs: number;
  /** The answer's body is refused beyond this. */
  maxBytes: number;
  /** Allow loopback and private addresses (an internal deployment, or tests); SSRF risk. */
  allowPrivateAddresses: boolean;
  /** A PEM certificate trusted besides the public roots. */
  extraCa?: string;
}

export interface PublicHttpsAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** What makes `url` unusable as a client-named https URL before any request, or undefined. */
export function publicUrlProblem(url: string, allowPrivateAddresses: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (parsed.protocol !== "https:") return "must be an https URL";
  if (parsed.username || parsed.password) return "must not carry credentials";
  const literal = parsed.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) && !allowPrivateAddresses && isPrivateAddress(literal)) return `${parsed.host} is not a public address`;
  return undefined;
}

/** One request; rejects with a short reason (not public, timeout, too large, network) a caller can pass on. */
export function publicHttpsRequest(
  url: URL,
  options: PublicHttpsOptions,
  init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string },
): Promise<PublicHttpsAnswer> {
  return new Promise((resolve, reject) => {
    const problem = publicUrlProblem(url.href, options.allowPrivateAddresses);
    if (problem) return reject(new Error(problem));
    const req = request(url, {
      method: init.method,
      // A connection of its own: a pooled socket would skip the address check below.
      agent: false,
      headers: init.headers,
      timeout: options.timeoutMs,
      lookup: publicOnlyLookup(options.allowPrivateAddresses),
      ...(options.extraCa ? { ca: [...rootCertificates, options.extraCa] } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("error", reject);
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxBytes) return void chunks.push(chunk);
        reject(new Error(`larger than ${options.maxBytes} bytes`));
        req.destroy();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"] ?? "", body: Buffer.concat(chunks) }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup for the socket, failing when the name resolves to any non-public address. */
function publicOnlyLookup(allowPrivateAddresses: boolean) {
  return (hostname: string, options: LookupAllOptions | { all?: false }, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = allowPrivateAddresses ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
      if (refused) return callback(Object.assign(new Error(`${hostname} resolves to ${refused.address}, not a public address`), { code: "EPRIVATE" }), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 3]] as const) {
  NON_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [["::", 127], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) NON_PUBLIC.addSubnet(network, prefix, "ipv6");

function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, "ipv4");
  return isIP(address) === 6 ? NON_PUBLIC.check(address, "ipv6") : NON_PUBLIC.check(address, "ipv4");
}
