// Grouping into a map of lists, the one collection step every layer repeats (events by PID, seeds by device ...).

/** Appends `value` to the list under `key`, starting the list when the key is new; returns that list. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): V[] {
  let list = map.get(key);
  if (list === undefined) map.set(key, list = []);
  list.push(value);
  return list;
}
