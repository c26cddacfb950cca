// Talking to /api/console: the session cookie goes by itself; changes carry the CSRF header.
let csrf = null;
let onSignedOut = () => {};

export function setCsrf(token) { csrf = token; }
export function whenSignedOut(handler) { onSignedOut = handler; }

export class ApiError extends Error {
  constructor(status, message, field) { super(message); this.status = status; this.field = field; }
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let reply;
  try {
    reply = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                credentials: "same-origin" });
  } catch (e) {
    throw new ApiError(0, "网络连接中断，请稍后再试。");
  }
  let data = null;
  try { data = await reply.json(); } catch (e) { data = null; }
  if (reply.status === 401 && path !== "/api/console/login") {
    onSignedOut();
  }
  if (!reply.ok) {
    throw new ApiError(reply.status, (data && data.error) || `出错了（${reply.status}）`, data && data.field);
  }
  return data;
}
