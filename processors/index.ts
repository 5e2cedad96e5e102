export * as features from './features';
