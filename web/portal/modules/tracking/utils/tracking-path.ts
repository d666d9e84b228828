/** The API path of a tracking look-up; the phone digits only when given (own parcels need none). */
export function trackingPath(waybill: string, last4: string): string {
  const q = /^\d{4}$/.test(last4) ? `?phoneLast4=${last4}` : '';
  return `/shipments/${encodeURIComponent(waybill.trim().toUpperCase())}${q}`;
}
