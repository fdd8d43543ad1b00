/**
 * The runReport wire format of the Data API (v1beta, proto3 JSON), the part this subgraph
 * sends and reads, and rows read by header name rather than by position.
 */

export interface WireOrderBy {
  metric?: { metricName: string };
  dimension?: { dimensionName: string; orderType?: 'ALPHANUMERIC' | 'NUMERIC' };
  desc?: boolean;
}

export interface WireRunReportRequest {
  dateRanges: { startDate: string; endDate: string }[];
  dimensions: { name: string }[];
  metrics: { name: string }[];
  /** int64: sent as numbers, which the API accepts as well as strings. */
  limit?: number;
  offset?: number;
  orderBys?: WireOrderBy[];
}

export interface WireRunReportResponse {
  dimensionHeaders?: { name: string }[];
  metricHeaders?: { name: string; type?: string }[];
  /** Absent when the report is empty (proto3 JSON leaves out empty lists and zeros). */
  rows?: { dimensionValues?: { value?: string }[]; metricValues?: { value?: string }[] }[];
  rowCount?: number;
  metadata?: { currencyCode?: string; timeZone?: string };
  kind?: string;
}

export interface ReportRow {
  dimensions: Record<string, string>;
  /** Metric values are strings on the wire; absent or unreadable ones read as 0. */
  metrics: Record<string, number>;
}

export function reportRows(report: WireRunReportResponse): ReportRow[] {
  const dimensionNames = (report.dimensionHeaders ?? []).map((header) => header.name);
  const metricNames = (report.metricHeaders ?? []).map((header) => header.name);
  return (report.rows ?? []).map((row) => ({
    dimensions: Object.fromEntries(dimensionNames.map((name, i) => [name, row.dimensionValues?.[i]?.value ?? ''])),
    metrics: Object.fromEntries(
      metricNames.map((name, i) => {
        const value = Number(row.metricValues?.[i]?.value ?? 0);
        return [name, Number.isFinite(value) ? value : 0];
      }),
    ),
  }));
}
