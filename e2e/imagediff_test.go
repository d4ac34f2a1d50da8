package e2e

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"
)

// tolerance says how far a screenshot may stray from its golden and still
// pass.
type tolerance struct {
	// Channel is the largest difference in any of red, green and blue
	// (0-255) for which two pixels count as the same colour.
	Channel int
	// MaxFraction is the share of all pixels that may differ (after the
	// anti-aliasing allowance) before the pictures count as different.
	MaxFraction float64
}

// goldenTolerance is what the layout goldens allow. Rendering the same page
// twice on one machine gives identical pixels; the allowance covers text
// and chart edges that another rasteriser build smooths differently. A
// layout change is well above it: 12 px more padding in the top bar changes
// 0.34% (1,280 px) to 0.88% (360 px) of the picture after the
// anti-aliasing allowance, home tiles 60 px wider 0.29% at 800 px.
var goldenTolerance = tolerance{Channel: 24, MaxFraction: 0.001}

// imageDiff is the outcome of comparing a screenshot with its golden.
type imageDiff struct {
	// SizeMismatch is set when the two pictures differ in size; nothing
	// else is compared then.
	SizeMismatch string
	// Differing counts pixels of another colour that are not explained by
	// anti-aliasing; Smoothed counts those that are.
	Differing, Smoothed, Total int
	// Box bounds the differing pixels.
	Box image.Rectangle
	// Image shows the golden faded, differing pixels red and smoothed ones
	// yellow.
	Image *image.RGBA
}

// Fails tells whether the difference is more than tol allows.
func (d imageDiff) Fails(tol tolerance) bool {
	return d.SizeMismatch != "" || float64(d.Differing) > tol.MaxFraction*float64(d.Total)
}

// String describes the difference for a failure message.
func (d imageDiff) String() string {
	if d.SizeMismatch != "" {
		return d.SizeMismatch
	}
	return fmt.Sprintf("%d of %d pixels differ (%.3f%%) within x %d..%d, y %d..%d; %d more differ only by anti-aliasing",
		d.Differing, d.Total, 100*float64(d.Differing)/float64(max(d.Total, 1)), d.Box.Min.X, d.Box.Max.X-1, d.Box.Min.Y, d.Box.Max.Y-1, d.Smoothed)
}

// compareImages compares got with want pixel by pixel. Two pixels are the
// same when no channel differs by more than tol.Channel. A pixel that is not
// the same is still forgiven as anti-aliasing when each picture's colour
// lies within the range of colours (per channel, widened by tol.Channel)
// of the other picture's 3x3 neighbourhood: an edge drawn a fraction of a
// pixel differently. A block that moves by more than a pixel, or a colour
// that appears where the golden had none nearby, is not forgiven.
func compareImages(want, got image.Image, tol tolerance) imageDiff {
	wb, gb := want.Bounds(), got.Bounds()
	if wb.Dx() != gb.Dx() || wb.Dy() != gb.Dy() {
		return imageDiff{SizeMismatch: fmt.Sprintf("the picture is %dx%d, the golden %dx%d", gb.Dx(), gb.Dy(), wb.Dx(), wb.Dy())}
	}
	w, h := wb.Dx(), wb.Dy()
	a, b := toRGBA(want), toRGBA(got)
	d := imageDiff{Total: w * h, Image: image.NewRGBA(image.Rect(0, 0, w, h))}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			pa, pb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			// The golden, faded towards white, is the backdrop of the diff.
			gray := uint8((int(pa.R) + int(pa.G) + int(pa.B)) / 3)
			fade := 255 - (255-gray)/4
			out := color.RGBA{fade, fade, fade, 255}
			if channelDistance(pa, pb) > tol.Channel {
				if withinNeighbourhood(a, x, y, pb, tol.Channel) && withinNeighbourhood(b, x, y, pa, tol.Channel) {
					d.Smoothed++
					out = color.RGBA{230, 180, 0, 255}
				} else {
					d.Differing++
					d.Box = d.Box.Union(image.Rect(x, y, x+1, y+1))
					out = color.RGBA{220, 0, 0, 255}
				}
			}
			d.Image.SetRGBA(x, y, out)
		}
	}
	return d
}

// channelDistance is the largest difference of red, green and blue.
func channelDistance(p, q color.RGBA) int {
	return max(absDiff(p.R, q.R), absDiff(p.G, q.G), absDiff(p.B, q.B))
}

func absDiff(p, q uint8) int {
	if p > q {
		return int(p - q)
	}
	return int(q - p)
}

// withinNeighbourhood tells whether c lies, channel by channel, within the
// range of the colours of img's pixels around (x, y), widened by slack.
func withinNeighbourhood(img *image.RGBA, x, y int, c color.RGBA, slack int) bool {
	lo := [3]int{255, 255, 255}
	hi := [3]int{0, 0, 0}
	r := img.Bounds()
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if !(image.Point{x + dx, y + dy}).In(r) {
				continue
			}
			p := img.RGBAAt(x+dx, y+dy)
			for i, v := range [3]uint8{p.R, p.G, p.B} {
				lo[i], hi[i] = min(lo[i], int(v)), max(hi[i], int(v))
			}
		}
	}
	for i, v := range [3]uint8{c.R, c.G, c.B} {
		if int(v) < lo[i]-slack || int(v) > hi[i]+slack {
			return false
		}
	}
	return true
}

// toRGBA returns img as an *image.RGBA whose bounds start at (0, 0).
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// sketch draws a small screen: a light background, a dark bar across the top
// and a card at (x, y), with an anti-aliased edge on the card's left side
// whose grey level is edge.
func sketch(x, y int, edge uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 200, 150))
	fill := func(r image.Rectangle, c color.RGBA) {
		for py := r.Min.Y; py < r.Max.Y; py++ {
			for px := r.Min.X; px < r.Max.X; px++ {
				img.SetRGBA(px, py, c)
			}
		}
	}
	fill(img.Bounds(), color.RGBA{248, 249, 250, 255})
	fill(image.Rect(0, 0, 200, 20), color.RGBA{40, 44, 52, 255})
	fill(image.Rect(x, y, x+60, y+40), color.RGBA{30, 100, 220, 255})
	fill(image.Rect(x-1, y, x, y+40), color.RGBA{edge, edge, 240, 255})
	return img
}

func TestCompareImages(t *testing.T) {
	golden := sketch(40, 50, 140)
	tests := []struct {
		name     string
		got      image.Image
		wantFail bool
	}{
		{"the same picture passes", sketch(40, 50, 140), false},
		{"an edge smoothed differently passes as anti-aliasing", sketch(40, 50, 90), false},
		{"the card 12 px lower fails", sketch(40, 62, 140), true},
		{"the card 3 px to the right fails", sketch(43, 50, 140), true},
		{"a picture of another size fails", image.NewRGBA(image.Rect(0, 0, 200, 151)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := compareImages(golden, tt.got, goldenTolerance)
			if got := d.Fails(goldenTolerance); got != tt.wantFail {
				t.Errorf("Fails = %v, want %v (%s)", got, tt.wantFail, d)
			}
			if strings.Contains(tt.name, "anti-aliasing") && (d.Smoothed != 40 || d.Differing != 0) {
				t.Errorf("the smoothed edge: %s; want its 40 pixels forgiven and none differing", d)
			}
		})
	}
	// Noise on a few pixels (a subpixel text edge) stays within the share
	// of pixels allowed to differ.
	noisy := sketch(40, 50, 140)
	for i := 0; i < 20; i++ {
		noisy.SetRGBA(100+i, 100, color.RGBA{0, 0, 0, 255})
	}
	d := compareImages(golden, noisy, goldenTolerance)
	if d.Differing != 20 || d.Fails(goldenTolerance) {
		t.Errorf("20 stray pixels: %s, fails = %v; want 20 differing and a pass", d, d.Fails(goldenTolerance))
	}
	if d.Box != image.Rect(100, 100, 120, 101) {
		t.Errorf("box of the stray pixels = %v, want (100,100)-(120,101)", d.Box)
	}
}
