export * as features from './features';
export * as sink from './sink';
