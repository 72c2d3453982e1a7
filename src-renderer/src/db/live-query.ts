// React hooks over RxDB live queries. They hand plain JSON to components (never RxDocuments), so
// UI code cannot mutate a document by accident and tests compare plain objects.
import { useEffect, useState } from 'react';
import type { RxDocument, RxQuery } from 'rxdb';

interface Live<T> {
  value: T;
  /** False until the query emitted its first result. */
  ready: boolean;
}

/** Live result of a `find()` query. Pass a memoized query: a new query object resubscribes. */
export function useLiveDocs<T>(query: RxQuery<T, RxDocument<T>[]> | null): Live<T[]> {
  const [state, setState] = useState<Live<T[]> & { query: unknown }>({
    value: [],
    ready: false,
    query: null,
  });
  useEffect(() => {
    if (!query) return;
    const sub = query.$.subscribe((docs) =>
      setState({ value: docs.map((d) => d.toMutableJSON() as T), ready: true, query }),
    );
    return () => sub.unsubscribe();
  }, [query]);
  // A result from a previous query is not this query's result.
  return state.query === query ? state : { value: state.value, ready: false };
}

/** Live result of a `findOne()` query; null when no document matches. */
export function useLiveDoc<T>(query: RxQuery<T, RxDocument<T> | null> | null): Live<T | null> {
  const [state, setState] = useState<Live<T | null> & { query: unknown }>({
    value: null,
    ready: false,
    query: null,
  });
  useEffect(() => {
    if (!query) return;
    const sub = query.$.subscribe((doc) =>
      setState({ value: doc ? (doc.toMutableJSON() as T) : null, ready: true, query }),
    );
    return () => sub.unsubscribe();
  }, [query]);
  return state.query === query ? state : { value: state.value, ready: false };
}
