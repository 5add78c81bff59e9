/** Reports the RSS of a Node process that loaded nothing but tsx (the bench's TS loader). */
process.send?.({ type: "rss", rss: process.memoryUsage().rss });
