// Runs async work one at a time per key. The per-user room cap reads a count and then writes a
// room; two requests interleaving between the read and the write both saw room for one more
// (issue 12, item 6: 20 concurrent creations under a cap of 5 made 7 to 13 rooms). Serializing
// the read-check-write per creator makes the cap exact within a process; storage shared by several
// processes does the same check inside one transaction (SyncStorage.writeRecordsUnderCap).
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
