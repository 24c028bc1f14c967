/** The levels of an organisation's regions, from the widest. */
export const REGION_LEVELS = ["governorate", "district", "locality"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** The level under `parent` (none: a governorate), or null under a locality. */
export function childLevel(parent: RegionLevel | null): RegionLevel | null {
  if (parent === null) return "governorate";
  const index = REGION_LEVELS.indexOf(parent);
  return REGION_LEVELS[index + 1] ?? null;
}

export interface RegionRow {
  id: string;
  parentId: string | null;
  level: RegionLevel;
  nameAr: string;
  nameEn: string;
  sortOrder: number;
}

export interface RegionNode extends RegionRow {
  children: RegionNode[];
}

/** Nests flat rows into governorate → district → locality, keeping each level's order. */
export function buildRegionTree(rows: readonly RegionRow[]): RegionNode[] {
  const nodes = new Map<string, RegionNode>(rows.map((r) => [r.id, { ...r, children: [] }]));
  const roots: RegionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else if (!node.parentId) roots.push(node);
  }
  const order = (list: RegionNode[]) => {
    list.sort((a, b) => a.sortOrder - b.sortOrder || a.nameEn.localeCompare(b.nameEn));
    for (const n of list) order(n.children);
  };
  order(roots);
  return roots;
}
