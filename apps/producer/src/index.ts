/** @shopstream/producer — the shop simulator and the publish library. */

export { MALFORMED_LABELS, MALFORMED_MAKERS, makeMalformed, Random } from "@shopstream/transforms";
export { buildCatalog, CATEGORIES, MARKETS, priceIn } from "./catalog";
export { ContractViolation, EventPublisher, type PublisherOptions, type PublishStats } from "./publisher";
export { type RunOptions, runProducer } from "./run";
export {
  DEFAULT_FAULTS,
  type Emission,
  type FaultRates,
  NO_FAULTS,
  ShopSimulator,
  type SimulatorOptions,
} from "./simulator";
