export * from './catalogue.schema';
export * from './catalogue.loader';
export * from './catalogue-digest';
export * from './canonical-json';
export * from './score-catalogue';
export * from './dvcqg-metrics';
