'use strict';
// Draws bench results as an SVG line chart: synth time against fleet count, both axes log scale.

const STYLE = {
  amifleet: { color: '#1f6feb', label: 'amifleet synth' },
  stock: { color: '#d1242f', label: 'stock cdktf (ts-node, root import)' },
  floor: { color: '#6e7781', label: 'floor: node start + writing the files' },
};

const WIDTH = 760;
const HEIGHT = 470;
// Room on the right for the labels of the last points; the legend goes below the axis.
const PLOT = { left: 70, right: 640, top: 40, bottom: 370 };

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function secondsLabel(s) {
  if (s >= 100) return `${s.toFixed(0)} s`;
  if (s >= 10) return `${s.toFixed(1)} s`;
  return `${s.toFixed(2)} s`;
}

/** An SVG document for bench/results.json's shape. */
function renderChart(results) {
  const sizes = results.sizes;
  const points = {};
  const all = [];
  for (const [name, series] of Object.entries(results.series)) {
    points[name] = sizes.map((size) => {
      const e = series.sizes[size];
      if (e?.medianSeconds !== undefined) return { size, seconds: e.medianSeconds, estimated: false };
      if (e?.estimatedSeconds !== undefined) return { size, seconds: e.estimatedSeconds, estimated: true };
      return undefined;
    }).filter(Boolean);
    all.push(...points[name].map((p) => p.seconds));
  }
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const xMin = Math.min(...sizes);
  const xMax = Math.max(...sizes);
  const x = (v) => PLOT.left + (xMax === xMin ? 0 : (Math.log10(v / xMin) / Math.log10(xMax / xMin)) * (PLOT.right - PLOT.left));
  const y = (v) => PLOT.bottom - (Math.log10(v / yMin) / Math.log10(yMax / yMin)) * (PLOT.bottom - PLOT.top);
  const f = (n) => n.toFixed(1);

  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${PLOT.left}" y="22" font-size="14" font-weight="600">Synth time by fleet count (${results.regionsPerFleet} regions per fleet; median; log scales)</text>`);
  for (let v = yMin; v <= yMax * 1.0001; v *= 10) {
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${f(y(v) + 4)}" text-anchor="end" fill="#57606a">${escape(v >= 1 ? `${v} s` : `${Number(v.toPrecision(1))} s`)}</text>`);
  }
  for (const size of sizes) {
    out.push(`<line x1="${f(x(size))}" x2="${f(x(size))}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#eaeef2" stroke-width="1"/>`);
    out.push(`<text x="${f(x(size))}" y="${PLOT.bottom + 18}" text-anchor="middle" fill="#57606a">${size.toLocaleString('en-US')}</text>`);
  }
  out.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 40}" text-anchor="middle" fill="#24292f">fleets (× ${results.regionsPerFleet} stacks)</text>`);
  out.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#8c959f"/>`);

  for (const [name, pts] of Object.entries(points)) {
    const { color } = STYLE[name] ?? { color: '#000000' };
    const measured = pts.filter((p) => !p.estimated);
    if (measured.length > 1) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${measured.map((p) => `${f(x(p.size))},${f(y(p.seconds))}`).join(' ')}"/>`);
    }
    const estimated = pts.filter((p) => p.estimated);
    if (estimated.length > 0 && measured.length > 0) {
      const from = measured[measured.length - 1];
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" stroke-dasharray="5 4" points="${[from, ...estimated].map((p) => `${f(x(p.size))},${f(y(p.seconds))}`).join(' ')}"/>`);
    }
    for (const p of pts) {
      const fill = p.estimated ? '#ffffff' : color;
      out.push(`<circle cx="${f(x(p.size))}" cy="${f(y(p.seconds))}" r="4" fill="${fill}" stroke="${color}" stroke-width="2"/>`);
      const label = p.estimated ? `≈${secondsLabel(p.seconds)} (estimated)` : secondsLabel(p.seconds);
      out.push(`<text x="${f(x(p.size) + 7)}" y="${f(y(p.seconds) - 7)}" fill="${color}" font-size="11" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escape(label)}</text>`);
    }
  }

  let lx = PLOT.left;
  const ly = PLOT.bottom + 62;
  for (const name of Object.keys(points)) {
    const { color, label } = STYLE[name] ?? { color: '#000000', label: name };
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<circle cx="${lx + 12}" cy="${ly}" r="4" fill="${color}"/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}" fill="#24292f">${escape(label)}</text>`);
    lx += 50 + label.length * 6.2;
  }
  out.push(`<text x="${PLOT.left}" y="${ly + 24}" fill="#57606a" font-size="11">${escape(`Hollow point, dashed line: estimated. ${results.machine.cpus} CPUs, Node.js ${results.machine.node}, commit ${results.commit}, ${results.date.slice(0, 10)}.`)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

module.exports = { renderChart };
