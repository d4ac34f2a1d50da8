package embed

import (
	"net/url"
	"strconv"
	"strings"
)

// SideNav is the side_nav option: the default rule, or forced on or off.
type SideNav int8

// The values of the side_nav option.
const (
	SideNavDefault SideNav = iota // shown on home and collections, hidden on questions and dashboards
	SideNavShow                   // side_nav=true
	SideNavHide                   // side_nav=false
)

// String returns the parameter value: "default", "true" or "false".
func (s SideNav) String() string {
	switch s {
	case SideNavShow:
		return "true"
	case SideNavHide:
		return "false"
	}
	return "default"
}

// Options are the UI-hiding parameters of an embedded session, read on its
// first page load and kept while the person navigates inside the iframe.
// DefaultOptions gives the values a host gets by passing none.
type Options struct {
	TopNav         bool    // top_nav: the whole top bar
	SideNav        SideNav // side_nav
	Search         bool    // search: the search box in the top bar
	NewButton      bool    // new_button: "+ New" in the top bar
	Breadcrumbs    bool    // breadcrumbs: collection breadcrumbs in the top bar
	Logo           bool    // logo: the logo (off shows a plain sidebar toggle)
	Header         bool    // header: title area of questions and dashboards
	AdditionalInfo bool    // additional_info: "Edited ... by ..." and crumbs under a title
	ActionButtons  bool    // action_buttons: Filter / Summarize / editor buttons
}

// DefaultOptions returns the options of an embedded session whose host passed
// no parameters: everything shown except search and the new button, and the
// side navigation following its default rule.
func DefaultOptions() Options {
	return Options{
		TopNav: true, SideNav: SideNavDefault, Search: false, NewButton: false,
		Breadcrumbs: true, Logo: true, Header: true, AdditionalInfo: true, ActionButtons: true,
	}
}

// boolParams maps each boolean parameter to its field, in encoding order.
func (o *Options) boolParams() []struct {
	key string
	v   *bool
} {
	return []struct {
		key string
		v   *bool
	}{
		{"top_nav", &o.TopNav}, {"search", &o.Search}, {"new_button", &o.NewButton},
		{"breadcrumbs", &o.Breadcrumbs}, {"logo", &o.Logo}, {"header", &o.Header},
		{"additional_info", &o.AdditionalInfo}, {"action_buttons", &o.ActionButtons},
	}
}

// ParseOptions reads the UI-hiding parameters from a query string and
// reports whether any was present. Both "&" and "?" separate parameters, so
// the "a=1?logo=false" form some hosts produce (a second "?" appended to a
// path that already had a query) still works, and a whole path with its
// query may be passed too. Keys are matched case-insensitively; unknown keys
// and values that are not booleans (or "default" for side_nav) are ignored;
// when a key repeats, the last value wins.
func ParseOptions(rawQuery string) (Options, bool) {
	o := DefaultOptions()
	bools := o.boolParams()
	present := false
	for _, pair := range strings.FieldsFunc(rawQuery, func(r rune) bool { return r == '&' || r == '?' }) {
		k, v, _ := strings.Cut(pair, "=")
		var err error
		if k, err = url.QueryUnescape(k); err != nil {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.ToLower(strings.TrimSpace(v))
		if k == "side_nav" {
			switch v {
			case "default":
				o.SideNav, present = SideNavDefault, true
			default:
				if b, err := strconv.ParseBool(v); err == nil {
					o.SideNav, present = SideNavHide, true
					if b {
						o.SideNav = SideNavShow
					}
				}
			}
			continue
		}
		for _, p := range bools {
			if p.key != k {
				continue
			}
			if b, err := strconv.ParseBool(v); err == nil {
				*p.v, present = b, true
			}
		}
	}
	return o, present
}

// Encode returns the options as a compact query string holding only the
// values that differ from DefaultOptions, in a fixed order
// ("top_nav=false&logo=false"); the defaults encode as "". It is the form
// stored in sightline.Session.Embed, and DecodeOptions reads it back.
func (o Options) Encode() string {
	def := DefaultOptions()
	var parts []string
	defBools := def.boolParams()
	for i, p := range o.boolParams() {
		if *p.v != *defBools[i].v {
			parts = append(parts, p.key+"="+strconv.FormatBool(*p.v))
		}
		if p.key == "top_nav" && o.SideNav != def.SideNav {
			parts = append(parts, "side_nav="+o.SideNav.String())
		}
	}
	return strings.Join(parts, "&")
}

// DecodeOptions reads a string made by Encode.
func DecodeOptions(s string) Options {
	o, _ := ParseOptions(s)
	return o
}

// ShowTopBar reports whether the top bar is drawn: top_nav is on and at least
// one of its parts (logo, breadcrumbs, search, new button) is shown.
func (o Options) ShowTopBar() bool {
	return o.TopNav && (o.Logo || o.Breadcrumbs || o.Search || o.NewButton)
}

// Page kinds for ShowSideNav.
const (
	PageHome       = "home"
	PageCollection = "collection"
	PageBrowse     = "browse"
	PageSearch     = "search"
	PageQuestion   = "question"
	PageDashboard  = "dashboard"
	PageTable      = "table" // a table opened from Browse data, an ad-hoc question
	PageXray       = "xray"  // an automatic dashboard
)

// ShowSideNav reports whether the side navigation is shown on a page of the
// given kind. side_nav=true and false force it; by default it is hidden on
// questions, dashboards, tables and X-rays (content that wants the width)
// and shown on every other page, such as home and collections.
func (o Options) ShowSideNav(pageKind string) bool {
	switch o.SideNav {
	case SideNavShow:
		return true
	case SideNavHide:
		return false
	}
	switch pageKind {
	case PageQuestion, PageDashboard, PageTable, PageXray:
		return false
	}
	return true
}
