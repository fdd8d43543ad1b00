/** A plant as the plants widget and the plant detail select it (operator contact masked without pii:read). */
export interface PlantSummary {
  id: string;
  name: string;
  site: string;
  status: string;
  capacityMw: number;
  updatedAt: string;
  operator: { name: string | null; email: string | null; phone: string | null } | null;
}
