package embed

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseOptions(t *testing.T) {
	def := DefaultOptions()
	mod := func(f func(*Options)) Options {
		o := DefaultOptions()
		f(&o)
		return o
	}
	tests := []struct {
		in      string
		want    Options
		present bool
	}{
		{"", def, false},
		{"a=1&b=2", def, false},
		{"logo=false&top_nav=false", mod(func(o *Options) { o.Logo, o.TopNav = false, false }), true},
		{"a=1?logo=false", mod(func(o *Options) { o.Logo = false }), true},
		{"/question/1?a=1?logo=false&top_nav=false", mod(func(o *Options) { o.Logo, o.TopNav = false, false }), true},
		{"search=true&new_button=true", mod(func(o *Options) { o.Search, o.NewButton = true, true }), true},
		{"side_nav=true", mod(func(o *Options) { o.SideNav = SideNavShow }), true},
		{"side_nav=false", mod(func(o *Options) { o.SideNav = SideNavHide }), true},
		{"side_nav=default", def, true},
		{"side_nav=maybe", def, false},
		{"header=false&additional_info=false&action_buttons=false&breadcrumbs=false", mod(func(o *Options) {
			o.Header, o.AdditionalInfo, o.ActionButtons, o.Breadcrumbs = false, false, false, false
		}), true},
		{"LOGO=FALSE", mod(func(o *Options) { o.Logo = false }), true},
		{"logo=false&logo=true", def, true},
		{"logo=nope", def, false},
		{"logo", def, false},
		{"top%5Fnav=false", mod(func(o *Options) { o.TopNav = false }), true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, present := ParseOptions(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" || present != tt.present {
				t.Errorf("ParseOptions(%q) present = %v, want %v; mismatch (-want +got):\n%s", tt.in, present, tt.present, diff)
			}
		})
	}
}

func TestOptionsEncode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"logo=false&top_nav=false", "top_nav=false&logo=false"},
		{"side_nav=false&search=true", "side_nav=false&search=true"},
		{"top_nav=true&side_nav=true&search=true&new_button=true&breadcrumbs=false&logo=false&header=false&additional_info=false&action_buttons=false",
			"side_nav=true&search=true&new_button=true&breadcrumbs=false&logo=false&header=false&additional_info=false&action_buttons=false"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			o, _ := ParseOptions(tt.in)
			got := o.Encode()
			if got != tt.want {
				t.Errorf("ParseOptions(%q).Encode() = %q, want %q", tt.in, got, tt.want)
			}
			if back := DecodeOptions(got); back != o {
				t.Errorf("DecodeOptions(%q) = %+v, want %+v", got, back, o)
			}
		})
	}
}

func TestShowTopBar(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", true},
		{"top_nav=false", false},
		{"logo=false&breadcrumbs=false", false}, // search and new_button are off by default
		{"logo=false&breadcrumbs=false&search=true", true},
		{"logo=false&breadcrumbs=false&new_button=true", true},
		{"logo=false", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			o, _ := ParseOptions(tt.in)
			if got := o.ShowTopBar(); got != tt.want {
				t.Errorf("ParseOptions(%q).ShowTopBar() = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestShowSideNav(t *testing.T) {
	tests := []struct {
		in, page string
		want     bool
	}{
		{"", PageHome, true},
		{"", PageCollection, true},
		{"", PageBrowse, true},
		{"", PageQuestion, false},
		{"", PageDashboard, false},
		{"", PageXray, false},
		{"", PageTable, false},
		{"side_nav=true", PageDashboard, true},
		{"side_nav=false", PageHome, false},
		{"side_nav=default", PageCollection, true},
	}
	for _, tt := range tests {
		t.Run(tt.in+" "+tt.page, func(t *testing.T) {
			o, _ := ParseOptions(tt.in)
			if got := o.ShowSideNav(tt.page); got != tt.want {
				t.Errorf("ParseOptions(%q).ShowSideNav(%q) = %v, want %v", tt.in, tt.page, got, tt.want)
			}
		})
	}
}
