export { stackUp, stackDown, stackStatus, stackServices } from './stack';
export type { UpReport, UpOutcome, StatusReport } from './stack';
export { KafkaService, type KafkaServiceOptions } from './kafka-service';
export { PostgresService } from './postgres-service';
export { RegistryService } from './registry-service';
export { stackLayout, type StackService, type Health } from './service';
export { javaBinary } from './prerequisites';
