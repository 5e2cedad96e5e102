import { PipelineRouter, type PipelineDefinition } from '../../../pipelines';
import { AssetWindows } from './asset-windows';
import { FeatureCalculator } from './compute-features';
import { RowBuffer } from './row-buffer';
import type { CloseReason, EngineListener, Reading } from './types';
import { applyMeta, metaOf, pipelineFingerprint, type WindowMeta } from './window-meta';
import { windowStrategy, type EmitWindow, type WindowStrategy } from './window-strategy';

/**
 * Windowed features of many pipelines over many assets, with no Kafka in
 * sight: the stream stage and the offline mode drive this same code, so a
 * model is trained on exactly the features production computes.
 *
 * State is kept per source partition, so that a stage can checkpoint,
 * restore and drop the assets of one partition at a time. The offline mode
 * uses a single partition.
 */
export interface EngineOptions {
  /** Wall clock in epoch milliseconds; only the idle timeout reads it. */
  readonly now?: () => number;
}

export class FeatureEngine {
  readonly pipelines: readonly CompiledPipeline[];
  private readonly router: PipelineRouter;
  private readonly partitions = new Map<number, PartitionWindows>();
  private readonly now: () => number;

  constructor(definitions: readonly PipelineDefinition[], options: EngineOptions = {}) {
    this.pipelines = definitions.map((d, index) => compile(d, index));
    this.router = new PipelineRouter(definitions);
    this.now = options.now ?? Date.now;
  }

  /**
   * Feeds one reading at a source position. Returns how many pipelines
   * took it. A reading the partition's checkpoint already includes only
   * rebuilds rows and reports nothing.
   */
  process(reading: Reading, partition: number, offset: number, listener: EngineListener): number {
    const windows = this.partition(partition);
    windows.position = offset + 1;
    const routes = this.router.route(reading.assetId, reading.tags);
    if (routes.length === 0) return 0;
    const now = this.now();
    for (const index of routes) {
      const pipeline = this.pipelines[index]!;
      const state = windows.state(pipeline, reading.assetId, now);
      const names = pipeline.definition.metrics;
      if (offset < state.through) {
        state.replay(reading.ts, offset, reading.metrics, names);
        continue;
      }
      listener.routed?.(pipeline.name);
      const emit = emitter(pipeline, state, pipeline.closeReason, listener);
      const outcome = state.accept(reading.ts, offset, reading.metrics, names, now, emit);
      if (outcome.kind === 'duplicate') {
        listener.duplicate(pipeline.name);
        continue;
      }
      windows.dirty[index]!.add(state);
      if (outcome.kind === 'late') {
        listener.late({
          pipeline: pipeline.name,
          reading,
          reason: lateReason(state, outcome.kept),
          lateByMs: Math.max(0, outcome.watermark - reading.ts),
          assetClock: state.clock,
        });
      }
    }
    return routes.length;
  }

  /**
   * Closes the windows of assets quiet for longer than their idle timeout.
   * Assets still being rebuilt by a replay are left alone: their
   * checkpoint already holds whatever idle close happened before it.
   */
  sweepIdle(listener: EngineListener, now = this.now()): number {
    let closed = 0;
    for (const windows of this.partitions.values()) {
      this.pipelines.forEach((pipeline, index) => {
        const timeout = pipeline.definition.window.idleTimeoutMs;
        for (const state of windows.assets[index]!.values()) {
          if (now - state.lastActivity < timeout || state.through > windows.position) continue;
          if (state.closeIdle(emitter(pipeline, state, 'IDLE', listener))) {
            windows.dirty[index]!.add(state);
            closed++;
          }
        }
      });
    }
    return closed;
  }

  /** Closes every open window, as if every asset had gone quiet: the end of an offline run. */
  closeAll(listener: EngineListener): void {
    this.sweepIdle(listener, Infinity);
  }

  /**
   * Checkpoints of the assets of a partition that changed since the last
   * call, all marked as including the readings before `through`.
   */
  takeCheckpoint(partition: number, through: number): WindowMeta[] {
    const windows = this.partitions.get(partition);
    if (!windows) return [];
    const metas: WindowMeta[] = [];
    this.pipelines.forEach((pipeline, index) => {
      const dirty = windows.dirty[index]!;
      for (const state of dirty) {
        metas.push(metaOf(pipeline.name, pipeline.fingerprint, state, through));
      }
      dirty.clear();
    });
    return metas;
  }

  /**
   * Installs the checkpoints of a partition and says where its replay must
   * start: at the oldest row any checkpointed asset still holds, or at the
   * committed offset if that is earlier. Without a committed offset the
   * replay starts at the beginning of the topic (undefined), because
   * readings of assets without a checkpoint may precede every checkpoint.
   */
  restore(
    partition: number,
    metas: Iterable<WindowMeta>,
    committed: number | undefined,
  ): { replayFrom: number | undefined; changed: Set<string> } {
    this.partitions.delete(partition);
    const windows = this.partition(partition);
    const changed = new Set<string>();
    const now = this.now();
    let replayFrom = committed;
    for (const meta of metas) {
      const pipeline = this.pipelines.find((p) => p.name === meta.pipeline);
      if (!pipeline) continue;
      const state = windows.state(pipeline, meta.assetId, now);
      if (!applyMeta(state, meta, pipeline.fingerprint)) changed.add(pipeline.name);
      if (replayFrom !== undefined && meta.rowsFrom !== null) {
        replayFrom = Math.min(replayFrom, meta.rowsFrom);
      }
    }
    windows.position = replayFrom ?? 0;
    return { replayFrom, changed };
  }

  dropPartition(partition: number): void {
    this.partitions.delete(partition);
  }

  /** Tracked assets and open windows per pipeline, for the gauges. */
  census(): { pipeline: string; assets: number; openWindows: number }[] {
    return this.pipelines.map((pipeline, index) => {
      let assets = 0;
      let openWindows = 0;
      for (const windows of this.partitions.values()) {
        for (const state of windows.assets[index]!.values()) {
          assets++;
          openWindows += state.openWindows();
        }
      }
      return { pipeline: pipeline.name, assets, openWindows };
    });
  }

  private partition(partition: number): PartitionWindows {
    let windows = this.partitions.get(partition);
    if (!windows) {
      windows = new PartitionWindows(this.pipelines.length);
      this.partitions.set(partition, windows);
    }
    return windows;
  }
}

export interface CompiledPipeline {
  readonly index: number;
  readonly name: string;
  readonly definition: PipelineDefinition;
  readonly strategy: WindowStrategy;
  readonly calculator: FeatureCalculator;
  readonly fingerprint: string;
  readonly closeReason: CloseReason;
}

function compile(definition: PipelineDefinition, index: number): CompiledPipeline {
  return {
    index,
    name: definition.name,
    definition,
    strategy: windowStrategy(definition.window),
    calculator: new FeatureCalculator(definition),
    fingerprint: pipelineFingerprint(definition),
    closeReason: definition.window.type === 'sliding' ? 'EVERY_READING' : 'WATERMARK',
  };
}

class PartitionWindows {
  readonly assets: Map<string, AssetWindows>[];
  readonly dirty: Set<AssetWindows>[];
  /** The offset after the last reading processed. */
  position = 0;

  constructor(pipelines: number) {
    this.assets = Array.from({ length: pipelines }, () => new Map());
    this.dirty = Array.from({ length: pipelines }, () => new Set());
  }

  state(pipeline: CompiledPipeline, assetId: string, now: number): AssetWindows {
    const assets = this.assets[pipeline.index]!;
    let state = assets.get(assetId);
    if (!state) {
      const rows = new RowBuffer(pipeline.definition.metrics.length);
      const { graceMs } = pipeline.definition.window;
      state = new AssetWindows(assetId, rows, pipeline.strategy, graceMs, now);
      assets.set(assetId, state);
    }
    return state;
  }
}

function emitter(
  pipeline: CompiledPipeline,
  state: AssetWindows,
  closeReason: CloseReason,
  listener: EngineListener,
): EmitWindow {
  return (windowStart, windowEnd, from, to) => {
    const { features, missingMetrics } = pipeline.calculator.compute(state.rows, from, to);
    listener.window({
      assetId: state.assetId,
      pipeline: pipeline.name,
      windowStart,
      windowEnd,
      recordCount: to - from,
      features,
      missingMetrics,
      closeReason,
      assetClock: state.clock,
    });
  };
}

function lateReason(state: AssetWindows, kept: boolean): string {
  const cause = state.closedByIdle() ? 'window closed by idle timeout' : 'window closed';
  return kept ? `${cause}; counted only in later windows` : cause;
}
