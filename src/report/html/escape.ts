// Text from a run dir (marker names, labels, a guest's event text) is untrusted: it goes into
// the page only escaped, as HTML text or as JSON that cannot close its <script> element.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** JSON safe inside a <script> element: no "<" (so no "</script>") and no JS line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, compactNumbers).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// Six significant digits are finer than a pixel on any chart, and keep a 2,048-point series short.
function compactNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
}
