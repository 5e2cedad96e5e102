import type { AssetSelectorSpec, PipelineDefinition } from './types';

/**
 * Which readings a pipeline takes: the asset id must match one of `ids`
 * (every id when there are none) and none of `exclude`, and every tag in
 * `tags` must be present with a matching value. Globs know `*` (any run of
 * characters, including none) and `?` (one character); matching is exact
 * and case-sensitive.
 */
export interface AssetSelector {
  matches(assetId: string, tags: Readonly<Record<string, string>>): boolean;
  /** Whether the answer depends on tags, which may differ between readings. */
  readonly usesTags: boolean;
}

export function compileSelector(spec: AssetSelectorSpec): AssetSelector {
  const ids = spec.ids.map(globToRegExp);
  const exclude = spec.exclude.map(globToRegExp);
  const tags = Object.entries(spec.tags).map(([name, g]) => [name, globToRegExp(g)] as const);
  return {
    usesTags: tags.length > 0,
    matches(assetId, readingTags) {
      if (ids.length > 0 && !ids.some((r) => r.test(assetId))) return false;
      if (exclude.some((r) => r.test(assetId))) return false;
      return tags.every(([name, r]) => {
        const value = readingTags[name];
        return value !== undefined && r.test(value);
      });
    },
  };
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

/**
 * Routes readings to the pipelines that select their asset. Answers for
 * pipelines that look only at the asset id are cached per id; the cache is
 * dropped when it grows past its bound, so a flood of new ids costs time,
 * never unbounded memory.
 */
export class PipelineRouter {
  private readonly selectors: { index: number; selector: AssetSelector }[];
  private readonly byId = new Map<string, readonly number[]>();
  private readonly tagged: { index: number; selector: AssetSelector }[];

  constructor(
    pipelines: readonly PipelineDefinition[],
    private readonly cacheLimit = 100_000,
  ) {
    const all = pipelines.map((p, index) => ({ index, selector: compileSelector(p.assets) }));
    this.selectors = all.filter((s) => !s.selector.usesTags);
    this.tagged = all.filter((s) => s.selector.usesTags);
  }

  /** Indices of the pipelines that take this reading, in definition order. */
  route(assetId: string, tags: Readonly<Record<string, string>>): readonly number[] {
    let untagged = this.byId.get(assetId);
    if (!untagged) {
      if (this.byId.size >= this.cacheLimit) this.byId.clear();
      untagged = this.selectors.filter((s) => s.selector.matches(assetId, {})).map((s) => s.index);
      this.byId.set(assetId, untagged);
    }
    if (this.tagged.length === 0) return untagged;
    const tagged = this.tagged.filter((s) => s.selector.matches(assetId, tags)).map((s) => s.index);
    return tagged.length === 0 ? untagged : [...untagged, ...tagged].sort((a, b) => a - b);
  }
}
