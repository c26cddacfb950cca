// Category and status names come from the server (/api/console/me): one list, kept there.
export const names = { categories: new Map(), statuses: new Map(), next: new Map(), targets: new Map() };

export function learn(me) {
  for (const c of me.categories || []) names.categories.set(c.id, c.title);
  for (const s of me.statuses || []) { names.statuses.set(s.id, s.title); names.next.set(s.id, s.next); }
  for (const t of me.targets || []) names.targets.set(t.id, t.title);
}

export const category = (id) => names.categories.get(id) || id || "未分类";
export const status = (id) => names.statuses.get(id) || id;
export const target = (id) => names.targets.get(id) || id;
