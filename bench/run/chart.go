// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0xd6, 0x27, 0x28, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0x94, 0x67, 0xbd, 0xff},
}

// drawChart draws two grouped bar charts: CPU-seconds per million lines for each workload,
// and p99 latency for the workloads that measure it, one bar per collector.
func drawChart(path string, results []result) error {
	const w, h = 1500, 760
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)

	var collectors, workloads []string
	seenC, seenW := map[string]bool{}, map[string]bool{}
	for _, r := range results {
		if !seenC[r.collector] {
			seenC[r.collector] = true
			collectors = append(collectors, r.collector)
		}
		if !seenW[r.workload] && r.workload != "idle" {
			seenW[r.workload] = true
			workloads = append(workloads, r.workload)
		}
	}
	value := func(workload, collector string, f func(result) float64) (float64, bool) {
		for _, r := range results {
			if r.workload == workload && r.collector == collector {
				return f(r), true
			}
		}
		return 0, false
	}
	panel(img, image.Rect(60, 40, w-20, 360), "CPU-seconds per million lines (lower is better)", workloads, collectors,
		func(wl, c string) (float64, bool) { return value(wl, c, result.perMillion) }, "%.1f")
	var latencyWorkloads []string
	for _, wl := range workloads {
		if v, ok := value(wl, collectors[0], func(r result) float64 { return float64(r.p99) }); ok && v > 0 {
			latencyWorkloads = append(latencyWorkloads, wl)
		}
	}
	panel(img, image.Rect(60, 420, w-20, 740), "p99 write-to-arrival latency, ms (lower is better)", latencyWorkloads, collectors,
		func(wl, c string) (float64, bool) {
			return value(wl, c, func(r result) float64 { return float64(r.p99.Microseconds()) / 1000 })
		}, "%.0f")
	for i, c := range collectors {
		x := 80 + i*280
		fill(img, image.Rect(x, 8, x+14, 22), palette[i%len(palette)])
		text(img, x+20, 20, c)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}

func panel(img *image.RGBA, r image.Rectangle, title string, groups, series []string, value func(g, s string) (float64, bool), format string) {
	text(img, r.Min.X, r.Min.Y-6, title)
	maxV := 0.0
	for _, g := range groups {
		for _, s := range series {
			if v, ok := value(g, s); ok && v > maxV {
				maxV = v
			}
		}
	}
	if maxV == 0 || len(groups) == 0 {
		return
	}
	base := r.Max.Y - 30
	fill(img, image.Rect(r.Min.X, base, r.Max.X, base+1), color.RGBA{0x44, 0x44, 0x44, 0xff})
	groupW := r.Dx() / len(groups)
	barW := (groupW - 20) / len(series)
	for gi, g := range groups {
		gx := r.Min.X + gi*groupW + 10
		for si, s := range series {
			v, ok := value(g, s)
			if !ok {
				continue
			}
			height := int(float64(base-r.Min.Y-20) * v / maxV)
			x := gx + si*barW
			fill(img, image.Rect(x, base-height, x+barW-4, base), palette[si%len(palette)])
			text(img, x, base-height-3, fmt.Sprintf(format, v))
		}
		text(img, gx, base+16, g)
	}
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func text(img *image.RGBA, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
