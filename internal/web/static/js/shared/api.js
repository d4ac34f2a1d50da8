// api sends a JSON request, with the session cookie unless credentials
// says otherwise ("omit" for embeds, which carry their token in the URL),
// and returns the decoded answer; a failure throws an Error carrying the
// server's message and status. Requests are same-origin, so the browser's Sec-Fetch-Site and
// Origin headers are what the server's cross-origin protection checks.
export async function api(method, url, body, signal, credentials) {
  const opts = { method: method, credentials: credentials || "same-origin", headers: { Accept: "application/json" }, signal: signal };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(url, opts);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const err = new Error((data && data.message) || "The server answered " + res.status + ".");
    err.status = res.status;
    throw err;
  }
  return data;
}
