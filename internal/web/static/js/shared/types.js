// The base types of result columns that the front end tells apart.

export const NUMERIC = Object.freeze(["type/Integer", "type/BigInteger", "type/Float", "type/Decimal"]);
export const INTEGER = Object.freeze(["type/Integer", "type/BigInteger"]);
export const TEMPORAL = Object.freeze(["type/Date", "type/DateTime", "type/DateTimeWithTZ"]);
