export { loadConfig, type Config, type ConfigProblem } from './load-config';
export { settings, renamedSettings, LOCAL_DATABASE_URL, type SettingSpec } from './settings';
