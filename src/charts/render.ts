/**
 * Shared chart theme and the one render path: ECharts option → SSR SVG string → resvg PNG.
 * Pure apart from resvg reading the bundled DejaVu TTFs (package `dejavu-fonts-ttf`); no
 * system fonts, no browser, no canvas.
 */
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import {
  CalendarComponent,
  GridComponent,
  MarkLineComponent,
  TitleComponent,
  VisualMapPiecewiseComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  CalendarComponent,
  GridComponent,
  MarkLineComponent,
  TitleComponent,
  VisualMapPiecewiseComponent,
  SVGRenderer,
]);

/** Every chart function returns this: a PNG sized for chat plus its numbers in words. */
export interface ChartResult {
  png: Buffer;
  width: number;
  height: number;
  alt: string;
}

/** Per-call options shared by all charts. */
export interface ChartOptions {
  width?: number;
  height?: number;
}

/** What a chart module builds before rendering: the ECharts option and the alt text. */
export interface ChartSpec {
  option: echarts.EChartsCoreOption;
  alt: string;
  width: number;
  height: number;
}

export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 400;

/**
 * A light card with a border and rounded corners (transparent outside them), drawn as its
 * own rect: readable on light and dark chat themes alike.
 */
export const THEME = {
  font: "DejaVu Sans",
  card: "#f6f8fa",
  border: "#d0d7de",
  text: "#1f2328",
  muted: "#59636e",
  grid: "#d8dee4",
  accent: "#2f6fde",
  warn: "#cf222e",
  good: "#1a7f37",
  /** Calendar day without reviews. */
  empty: "#dfe3e8",
  /** Calendar heat levels, lightest to darkest; none equals `empty` or `card`. */
  heat: ["#9be9a8", "#40c463", "#30a14e", "#216e39"],
} as const;

const require = createRequire(import.meta.url);
const FONT_DIR = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
export const FONT_FILES = [`${FONT_DIR}DejaVuSans.ttf`, `${FONT_DIR}DejaVuSans-Bold.ttf`];

/** Width/height from the options, clamped to something a chat client will show. */
export function chartSize(opts: ChartOptions = {}): { width: number; height: number } {
  const clamp = (v: number | undefined, d: number) =>
    Math.round(Math.min(2000, Math.max(200, v !== undefined && Number.isFinite(v) ? v : d)));
  return { width: clamp(opts.width, DEFAULT_WIDTH), height: clamp(opts.height, DEFAULT_HEIGHT) };
}

/** Title block used by every chart (bold title, muted subtitle). */
export function titleOption(text: string, subtext: string): Record<string, unknown> {
  return {
    text,
    subtext,
    left: 20,
    top: 14,
    textStyle: { color: THEME.text, fontSize: 18, fontWeight: "bold", fontFamily: THEME.font },
    subtextStyle: { color: THEME.muted, fontSize: 13, fontFamily: THEME.font },
  };
}

/** The ECharts SSR SVG for a spec, with the card background drawn first. */
export function toSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: spec.width,
    height: spec.height,
  });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "transparent",
      textStyle: { fontFamily: THEME.font, color: THEME.text },
      ...spec.option,
    });
    const svg = chart.renderToSVGString();
    const card = `<rect x="0.5" y="0.5" width="${spec.width - 1}" height="${spec.height - 1}" rx="14" fill="${THEME.card}" stroke="${THEME.border}"/>`;
    return svg.replace(/<svg\b[^>]*>/, (open) => `${open}\n${card}`);
  } finally {
    chart.dispose();
  }
}

/** Rasterises an SVG with the bundled fonts only. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: THEME.font },
    logLevel: "off",
  });
  return resvg.render().asPng();
}

/** Spec → PNG chart result. Throws on any ECharts or resvg error (see tryRender). */
export function renderSpec(spec: ChartSpec): ChartResult {
  const png = svgToPng(toSvg(spec));
  return { png, width: spec.width, height: spec.height, alt: spec.alt };
}
