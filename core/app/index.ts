export * from './constants';
export * from './signature';
export * from './redelivery';
export * from './events';
export * from './receiver';
export * from './slashReply';
export * from './api';
