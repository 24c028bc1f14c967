export * from "./identity";
export * from "./organizations";
export * from "./audit";
export * from "./notifications";
export * from "./registry";
export * from "./needs";
export * from "./pledging";
