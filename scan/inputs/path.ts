/** A step into a parsed document: a mapping key or a list index. */
export type PathSegment = string | number;
