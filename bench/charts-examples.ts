/** Writes docs/chart-*.png (and docs/chart-stats.png, the `pyjs stats --png` image) from demo data. */
import { writeFileSync } from "node:fs";
import { writeStatsPng } from "../src/charts/cli.js";
import {
  renderCalendar,
  renderForecast,
  renderLeaderboard,
  renderRetention,
} from "../src/charts/index.js";
import {
  sampleCalendar,
  sampleForecast,
  sampleLeaderboard,
  sampleRetention,
} from "../src/charts/samples.js";

const charts = {
  calendar: renderCalendar(sampleCalendar()),
  forecast: renderForecast(sampleForecast()),
  retention: renderRetention(sampleRetention()),
  leaderboard: renderLeaderboard(sampleLeaderboard()),
};
for (const [kind, chart] of Object.entries(charts)) {
  writeFileSync(`docs/chart-${kind}.png`, chart.png);
  console.log(`docs/chart-${kind}.png  ${chart.png.length} B  alt: ${chart.alt}`);
}
await writeStatsPng("docs/chart-stats.png", {
  calendar: sampleCalendar(),
  forecast: sampleForecast(),
});
console.log("docs/chart-stats.png (calendar + forecast, as `pyjs stats --png` writes it)");
