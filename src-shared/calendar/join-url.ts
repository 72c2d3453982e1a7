// A meeting's video link for its "Join" button (docs/architecture.md §6): the provider's own
// conference link, else a Meet, Teams or Zoom URL written in the location; only https URLs on the
// known hosts are taken, since a location is free text anyone invited can write. Also the event's
// own page in the provider's calendar, for "Open in calendar".

const VIDEO_HOSTS: readonly RegExp[] = [
  /^meet\.google\.com$/,
  /^teams\.microsoft\.com$/,
  /^teams\.live\.com$/,
  /^(?:[a-z0-9-]+\.)*zoom\.us$/,
  /^(?:[a-z0-9-]+\.)*zoomgov\.com$/,
];

const MAX_URL = 2000;

/**
 * The event's page in the provider's calendar ("Open in calendar"): any https URL without
 * credentials. The provider writes it, not the invitees, but it still reaches a link: nothing
 * but https is kept.
 */
export function webPageUrl(candidate: string | null | undefined): string | undefined {
  if (!candidate || candidate.length > MAX_URL) return undefined;
  try {
    const u = new URL(candidate);
    return u.protocol === 'https:' && u.username === '' && u.password === '' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The URL if it is an https link to a known video service, else undefined. */
export function videoUrl(candidate: string | null | undefined): string | undefined {
  if (!candidate || candidate.length > MAX_URL) return undefined;
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '') return undefined;
  const host = u.hostname.toLowerCase();
  return VIDEO_HOSTS.some((re) => re.test(host)) ? u.toString() : undefined;
}

/** The first known video link inside free text (a location such as "Zoom: https://…"). */
export function videoUrlInText(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  for (const m of text.slice(0, 4 * MAX_URL).matchAll(/https:\/\/[^\s<>"'),;]+/gi)) {
    const url = videoUrl(m[0]);
    if (url) return url;
  }
  return undefined;
}
