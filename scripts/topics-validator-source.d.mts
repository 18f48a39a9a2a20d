export declare const VALIDATOR_OPTIONS: Record<string, unknown>
export declare function topicsValidatorSource(schema: unknown): string
