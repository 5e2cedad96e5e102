import type { FeatureName, PipelineDefinition, WindowSpec } from '../../pipelines';
import { featureKey } from '../../pipelines';
import type {
  ClosedWindow,
  EngineListener,
  LateEvent,
} from '../../processors/features/window/types';

/** A pipeline definition built in code, for tests of the window engine. */
export function testPipeline(options: {
  name?: string;
  ids?: string[];
  window: Partial<WindowSpec> & Pick<WindowSpec, 'type' | 'sizeMs'>;
  features: Record<string, FeatureName[]>;
}): PipelineDefinition {
  const { window } = options;
  const features = Object.entries(options.features).flatMap(([metric, names]) =>
    names.map((feature) => ({ metric, feature, key: featureKey(metric, feature) })),
  );
  return {
    name: options.name ?? 'test',
    description: '',
    assets: { ids: options.ids ?? ['*'], exclude: [], tags: {} },
    window: {
      type: window.type,
      sizeMs: window.sizeMs,
      hopMs: window.hopMs ?? (window.type === 'tumbling' ? window.sizeMs : 0),
      graceMs: window.graceMs ?? 0,
      idleTimeoutMs: window.idleTimeoutMs ?? 60_000,
    },
    metrics: Object.keys(options.features),
    features,
    model: undefined,
    alerts: [],
    file: `${options.name ?? 'test'}.yaml`,
  };
}

/** Records what the engine reports. */
export function recorder(): {
  windows: ClosedWindow[];
  late: LateEvent[];
  duplicates: number;
  listener: EngineListener;
} {
  const out = { windows: [] as ClosedWindow[], late: [] as LateEvent[], duplicates: 0 };
  return {
    ...out,
    get duplicates() {
      return out.duplicates;
    },
    listener: {
      window: (w) => out.windows.push(w),
      late: (e) => out.late.push(e),
      duplicate: () => out.duplicates++,
    },
  };
}
