export * from '../expiry';
export * from './render';
export * from './richText';
