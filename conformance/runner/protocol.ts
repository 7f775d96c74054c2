/** The wire protocols every case runs over. */
export const PROTOCOLS = ["connect", "grpc", "grpc-web"] as const;

export type Protocol = (typeof PROTOCOLS)[number];

export function isProtocol(value: string): value is Protocol {
  return (PROTOCOLS as readonly string[]).includes(value);
}
