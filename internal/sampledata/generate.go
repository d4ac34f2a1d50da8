package sampledata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"sightline"
)

// Options choose which copy of the Sample Database to generate. The same
// Options always give the same rows.
type Options struct {
	// Anchor is the day the data is generated "as of": every date is placed
	// before it (only its calendar date counts). Callers store it so that a
	// regeneration is identical. It is required.
	Anchor time.Time
	// Scale multiplies every row count, keeping the distributions; values
	// below 1 mean 1.
	Scale int
}

// seed makes the data: changing it changes every row of every copy.
const seed = 0x53_69_67_68_74_6c_6e_65

// Streams of the PCG source, one per table, so tables do not disturb each other.
const (
	streamAccounts = iota + 1
	streamInvoices
	streamEvents
	streamFeedback
	streamPeople
	streamProducts
	streamOrders
	streamReviews
	streamReviewPlan
)

// Plans of the SaaS product.
const (
	planBasic uint8 = iota
	planPremium
	planBusiness
)

func planName(p uint8) string {
	switch p {
	case planPremium:
		return "Premium"
	case planBusiness:
		return "Business"
	}
	return "Basic"
}

// Prices in cents, and how far back the history goes.
const (
	basicCents       = 29500
	basicLegacyCents = 25150 // accounts created before the price rise keep this
	premiumCents     = 87500
	businessCents    = 145500
	businessSeats    = 56   // seats included in the Business price
	extraSeatCents   = 2600 // per seat above businessSeats
	historyMonths    = 48   // invoices and orders cover four years
)

// FixedAccountID is the account the embedding walkthrough sandboxes by: it is
// on the Basic plan and has exactly FixedAccountInvoices invoices, each of
// 295.00, at every scale.
const (
	FixedAccountID       = 28
	FixedAccountInvoices = 22
)

// Generate produces every row of the Sample Database and hands each one to
// emit, table by table in the order of Tables (parents before children) and
// by ascending ID within a table. The row holds one value per column, typed
// as Kind documents, and is reused after emit returns: copy what you keep.
// An error from emit stops generation and is returned.
//
// Only summaries of parent rows (accounts, people, products) are kept in
// memory; the large tables are streamed, so big scales stay affordable.
func Generate(opts Options, emit func(table string, row []any) error) error {
	g, err := newGenerator(opts)
	if err != nil {
		return err
	}
	g.emit = emit
	steps := []func() error{
		g.accounts, g.invoices, g.events, g.feedback,
		g.people, g.planReviews, g.products, g.orders, g.reviews,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

type accountInfo struct {
	plan        uint8
	seats       int
	invoices    int
	lastMonth   int // months before the anchor's month of the last invoice
	active      bool
	created     time.Time
	canceled    time.Time // zero while active
	email       string
	priceCents  int64 // Basic price the account pays
	downgraded  bool  // started on Business, now Basic
	premiumTail int   // how many of the last invoices were Premium
}

type personInfo struct {
	created time.Time
	tax     float64
}

type productInfo struct {
	priceCents int64
	noun       string
}

type reviewInfo struct {
	product int // index into products
	rating  int
	created time.Time
}

type generator struct {
	anchor time.Time
	scale  int
	emit   func(string, []any) error
	row    []any

	accts   []accountInfo
	persons []personInfo
	prods   []productInfo
	revPlan []reviewInfo
}

func newGenerator(opts Options) (*generator, error) {
	if opts.Anchor.IsZero() {
		return nil, sightline.Errorf(sightline.EINVALID, "The sample data needs an anchor date.")
	}
	y, m, d := opts.Anchor.Date()
	return &generator{
		anchor: time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		scale:  normScale(opts.Scale),
		row:    make([]any, 0, 16),
	}, nil
}

func newRand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// put emits one row built from vals.
func (g *generator) put(table string, vals ...any) error {
	g.row = append(g.row[:0], vals...)
	return g.emit(table, g.row)
}

// monthEnd returns the last day of the month k months before the anchor's.
func (g *generator) monthEnd(k int) time.Time {
	return time.Date(g.anchor.Year(), g.anchor.Month()-time.Month(k)+1, 0, 0, 0, 0, 0, time.UTC)
}

func money(cents int64) float64 { return float64(cents) / 100 }

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

func round(v float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(v*p) / p
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// between returns a random whole second in [lo, hi).
func between(r *rand.Rand, lo, hi time.Time) time.Time {
	span := int64(hi.Sub(lo) / time.Second)
	if span <= 0 {
		return lo
	}
	return lo.Add(time.Duration(r.Int64N(span)) * time.Second)
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// lognormal returns exp(N(ln median, sigma)).
func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// weighted draws indexes in proportion to weights.
type weighted struct{ cum []float64 }

func newWeighted(weights []float64) weighted {
	cum := make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		total += w
		cum[i] = total
	}
	return weighted{cum: cum}
}

func (w weighted) draw(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	return min(sort.SearchFloat64s(w.cum, x), len(w.cum)-1)
}

// fitCounts nudges counts until they add up to target, keeping each within
// [lo, hi] and leaving the entries fixed reports untouched. Random single
// steps keep the shape of the distribution.
func fitCounts(r *rand.Rand, counts []int, target, lo, hi int, fixed func(int) bool) {
	sum, minSum, maxSum := 0, 0, 0
	for i, c := range counts {
		sum += c
		if fixed(i) {
			minSum += c
			maxSum += c
		} else {
			minSum += lo
			maxSum += hi
		}
	}
	target = max(minSum, min(target, maxSum))
	for sum != target {
		i := r.IntN(len(counts))
		if fixed(i) {
			continue
		}
		switch {
		case sum > target && counts[i] > lo:
			counts[i]--
			sum--
		case sum < target && counts[i] < hi:
			counts[i]++
			sum++
		}
	}
}

// choose returns k sorted indexes out of n, each subset equally likely
// (selection sampling), in one pass over the candidates.
func choose(r *rand.Rand, n, k int) []int {
	out := make([]int, 0, k)
	for i := 0; i < n && len(out) < k; i++ {
		if r.IntN(n-i) < k-len(out) {
			out = append(out, i)
		}
	}
	return out
}

// uniqueName draws names from gen until one is new, giving up after a few
// tries by adding a number (so huge scales still finish).
func uniqueName(r *rand.Rand, seen map[string]bool, gen func() string) string {
	for range 8 {
		s := gen()
		if !seen[s] {
			seen[s] = true
			return s
		}
	}
	for {
		s := gen()
		at := strings.IndexByte(s, '@')
		n := fmt.Sprint(r.IntN(10000))
		if at >= 0 {
			s = s[:at] + n + s[at:]
		} else {
			s += " " + n
		}
		if !seen[s] {
			seen[s] = true
			return s
		}
	}
}

func ascii(s string) string { return strings.ToLower(strings.ReplaceAll(s, "-", "")) }

func personEmail(r *rand.Rand, first, last string, domain string) string {
	f, l := ascii(first), ascii(last)
	switch r.IntN(5) {
	case 0:
		return f + "." + l + "@" + domain
	case 1:
		return f[:1] + l + "@" + domain
	case 2:
		return l + "." + f + "@" + domain
	case 3:
		return f + "_" + l + fmt.Sprint(r.IntN(90)+10) + "@" + domain
	}
	return f + l + "@" + domain
}

func companyDomain(r *rand.Rand) string {
	return pick(r, companyStems) + pick(r, companySuffixes) + pick(r, []string{".com", ".com", ".io", ".co", ".net"})
}

// accounts plans every account (and so its invoices) and emits ACCOUNTS.
func (g *generator) accounts() error {
	r := newRand(streamAccounts)
	n := 2495 * g.scale
	plans := make([]uint8, 0, n)
	for range 2378 * g.scale {
		plans = append(plans, planBasic)
	}
	for range 86 * g.scale {
		plans = append(plans, planPremium)
	}
	for range 31 * g.scale {
		plans = append(plans, planBusiness)
	}
	r.Shuffle(n, func(i, j int) { plans[i], plans[j] = plans[j], plans[i] })
	fixed := FixedAccountID - 1
	if plans[fixed] != planBasic {
		j := slices.Index(plans, planBasic)
		plans[fixed], plans[j] = plans[j], plans[fixed]
	}

	g.accts = make([]accountInfo, n)
	counts := make([]int, n)
	for i := range g.accts {
		a := &g.accts[i]
		a.plan = plans[i]
		switch a.plan {
		case planBasic:
			a.seats = 1 + int(lognormal(r, 2, 1.0))
			counts[i] = 1 + int(lognormal(r, 3.2, 0.9))
		case planPremium:
			a.seats = 3 + int(lognormal(r, 12, 0.8))
			counts[i] = 2 + int(lognormal(r, 4, 0.7))
		case planBusiness:
			// Pareto tail: most Business accounts are small teams, a few are huge.
			a.seats = 10 + int(8/math.Pow(1-r.Float64(), 1/0.6))
			counts[i] = 8 + r.IntN(15)
		}
		a.seats = min(a.seats, 1300)
		counts[i] = min(max(counts[i], 1), FixedAccountInvoices)
	}
	counts[fixed] = FixedAccountInvoices
	// The biggest customer has about 1,300 seats at every scale, so the
	// seat-based Business invoices reach their reference size.
	biggest := -1
	for i, a := range g.accts {
		if a.plan == planBusiness && (biggest < 0 || a.seats > g.accts[biggest].seats) {
			biggest = i
		}
	}
	g.accts[biggest].seats = max(g.accts[biggest].seats, 1280+r.IntN(20))
	fitCounts(r, counts, 13856*g.scale, 1, FixedAccountInvoices, func(i int) bool { return i == fixed })

	seen := make(map[string]bool, n)
	countryPick := newWeighted(countryWeights())
	priceRise := g.monthEnd(30)
	for i := range g.accts {
		a := &g.accts[i]
		a.invoices = counts[i]
		activeOdds := [...]float64{0.185, 0.35, 0.6}[a.plan]
		a.active = r.Float64() < activeOdds
		if i == fixed {
			a.active = true
			a.seats = 4
		}
		a.lastMonth = 1
		if !a.active {
			a.lastMonth = 1 + r.IntN(historyMonths-a.invoices+1)
		}
		firstInvoice := g.monthEnd(a.lastMonth + a.invoices - 1)
		a.created = firstInvoice.Add(-14*24*time.Hour - time.Duration(r.IntN(28*24*3600))*time.Second)
		trialEnd := a.created.Add(14 * 24 * time.Hour)
		if !a.active {
			last := g.monthEnd(a.lastMonth)
			end := last.Add(26 * 24 * time.Hour)
			if end.After(g.anchor) {
				end = g.anchor
			}
			a.canceled = between(r, last.Add(time.Hour), end)
		}
		a.priceCents = basicCents
		if a.created.Before(priceRise) && i != fixed {
			a.priceCents = basicLegacyCents
		}
		switch {
		case i == fixed:
		case a.plan == planPremium:
			a.premiumTail = min(a.invoices, 1+r.IntN(2))
		case a.plan == planBasic && a.invoices >= 6 && r.Float64() < 0.2:
			a.downgraded = true
		}
		converted := a.active || r.Float64() < 0.31
		legacy := a.plan == planBusiness && r.Float64() < 0.15

		first, last := pick(r, firstNames), pick(r, lastNames)
		a.email = uniqueName(r, seen, func() string {
			domain := companyDomain(r)
			if r.Float64() < 0.3 {
				domain = pick(r, freeMailDomains)
			}
			return personEmail(r, first, last, domain)
		})
		var source any
		if r.Float64() >= 0.34 {
			source = accountSources[newWeighted([]float64{4, 3, 2, 2}).draw(r)]
		}
		c := countries[countryPick.draw(r)]
		lat := max(-85, min(85, c.lat+c.spread*r.NormFloat64()/2))
		long := math.Remainder(c.long+c.spread*r.NormFloat64()/2, 360)
		var canceled any
		if !a.active {
			canceled = a.canceled
		}
		err := g.put(Accounts, int64(i+1), a.email, first, last, planName(a.plan), source,
			int64(a.seats), a.created, trialEnd, canceled, converted, a.active, legacy,
			round(lat, 6), round(long, 6), c.code)
		if err != nil {
			return err
		}
	}
	return nil
}

func countryWeights() []float64 {
	w := make([]float64, len(countries))
	for i, c := range countries {
		w[i] = c.weight
	}
	return w
}

// invoices emits INVOICES: one per month for each account, oldest first.
func (g *generator) invoices() error {
	r := newRand(streamInvoices)
	id := int64(0)
	for i, a := range g.accts {
		for k := range a.invoices {
			month := a.lastMonth + a.invoices - 1 - k
			plan := a.plan
			switch {
			case a.downgraded && k < a.invoices/2:
				plan = planBusiness
			case a.plan == planPremium && k < a.invoices-a.premiumTail:
				plan = planBasic
			}
			var amount int64
			switch plan {
			case planBasic:
				amount = a.priceCents
			case planPremium:
				amount = premiumCents
			case planBusiness:
				amount = businessCents + int64(max(0, a.seats-businessSeats))*extraSeatCents
			}
			expected := i == FixedAccountID-1 || r.Float64() < 0.97
			if !expected {
				// A one-off invoice: a prorated part of the plan's price.
				amount = amount * int64(20+r.IntN(70)) / 100
			}
			received := g.monthEnd(month)
			if r.Float64() < 0.2 {
				received = received.AddDate(0, 0, -1-r.IntN(5))
			}
			id++
			err := g.put(Invoices, id, int64(i+1), money(amount), expected, planName(plan), received)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// events emits ANALYTIC_EVENTS: website visits of some accounts over the
// last three months, grouped by account and in time order within each.
func (g *generator) events() error {
	r := newRand(streamEvents)
	who := choose(r, len(g.accts), 1500*g.scale)
	counts := make([]int, len(who))
	for i := range counts {
		counts[i] = max(1, int(lognormal(r, 17, 0.85)))
	}
	fitCounts(r, counts, 37169*g.scale, 1, 400, func(int) bool { return false })
	pages := newWeighted(pageWeights)
	start := g.anchor.AddDate(0, 0, -90)
	id := int64(0)
	var times []time.Time
	for j, acct := range who {
		times = times[:0]
		for len(times) < counts[j] {
			t := between(r, start, g.anchor)
			// Fewer visits at weekends and at night.
			wd, h := t.Weekday(), t.Hour()
			odds := 1.0
			if wd == time.Saturday || wd == time.Sunday {
				odds *= 0.4
			}
			if h < 7 || h > 21 {
				odds *= 0.3
			}
			if r.Float64() < odds {
				times = append(times, t)
			}
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for _, t := range times {
			id++
			var err error
			if r.Float64() < 0.86 {
				err = g.put(AnalyticEvents, id, int64(acct+1), "Page Viewed", t,
					"https://www.example.com"+pagePaths[pages.draw(r)], nil)
			} else {
				err = g.put(AnalyticEvents, id, int64(acct+1), "Button Clicked", t, nil, pick(r, buttonLabels))
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// feedback emits FEEDBACK: one review of the product from some accounts.
func (g *generator) feedback() error {
	r := newRand(streamFeedback)
	ratings := newWeighted([]float64{0, 10, 12, 23, 33, 22})
	for j, acct := range choose(r, len(g.accts), 642*g.scale) {
		a := g.accts[acct]
		end := g.anchor
		if !a.active {
			end = a.canceled
		}
		rating := ratings.draw(r)
		body := fmt.Sprintf(pick(r, feedbackBodies[rating]), pick(r, features))
		err := g.put(Feedback, int64(j+1), int64(acct+1), a.email,
			day(between(r, a.created.Add(14*24*time.Hour), end)), int64(rating), ratingWords[rating], body)
		if err != nil {
			return err
		}
	}
	return nil
}

func stateWeights() []float64 {
	w := make([]float64, len(states))
	for i, s := range states {
		w[i] = 0.6 + s.weight
	}
	return w
}

func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	a = a&^0xf000 | 0x4000
	b = b&^(0xc<<60) | 0x8<<60
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, a>>16&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func cityName(r *rand.Rand) string {
	name := pick(r, cityStems) + pick(r, citySuffixes)
	if r.Float64() < 0.2 {
		name = pick(r, cityPrefixes) + name
	}
	return name
}

// people emits PEOPLE, the shop's customers, all in the United States.
func (g *generator) people() error {
	r := newRand(streamPeople)
	n := 2500 * g.scale
	g.persons = make([]personInfo, n)
	seen := make(map[string]bool, n)
	statePick := newWeighted(stateWeights())
	first := g.anchor.AddDate(-historyMonths/12, 0, 0)
	for i := range g.persons {
		fn, ln := pick(r, firstNames), pick(r, lastNames)
		email := uniqueName(r, seen, func() string { return personEmail(r, fn, ln, pick(r, freeMailDomains)) })
		s := states[statePick.draw(r)]
		zip := fmt.Sprintf("%03d%02d", s.zipLo+r.IntN(s.zipHi-s.zipLo+1), r.IntN(100))
		address := fmt.Sprintf("%d %s %s", 1+int(lognormal(r, 900, 1.2))%9999, pick(r, streetNames), pick(r, streetTypes))
		birth := g.anchor.AddDate(-18, 0, -r.IntN(55*365))
		// More early customers than a uniform spread, so that four years of
		// orders grow steadily rather than explode in the last year.
		span := g.anchor.AddDate(0, 0, -7).Sub(first)
		created := first.Add(time.Duration(math.Pow(r.Float64(), 1.6)*span.Seconds()) * time.Second)
		g.persons[i] = personInfo{created: created, tax: s.tax}
		err := g.put(People, int64(i+1), fn+" "+ln, email, uuid(r), address, cityName(r), s.code, zip,
			round(s.lat+s.spread*r.NormFloat64()/2, 6), round(s.long+s.spread*r.NormFloat64()/2, 6),
			pick(r, peopleSources), birth, created)
		if err != nil {
			return err
		}
	}
	return nil
}

// planReviews decides which products get reviews, their ratings and dates,
// before PRODUCTS is emitted, since a product's rating is its reviews' mean.
func (g *generator) planReviews() error {
	r := newRand(streamReviewPlan)
	n := 200 * g.scale
	counts := make([]int, n)
	quality := make([]float64, n)
	for i := range counts {
		quality[i] = 0.5 * r.NormFloat64()
		if r.Float64() < 0.88 {
			counts[i] = max(1, int(lognormal(r, 5, 0.6)))
		}
	}
	fitCounts(r, counts, 1112*g.scale, 1, 60, func(i int) bool { return counts[i] == 0 })
	earliest := g.anchor.AddDate(-historyMonths/12, 0, 0)
	for i, c := range counts {
		for range c {
			rating := int(math.Round(4.1 + quality[i] + 1.0*r.NormFloat64()))
			g.revPlan = append(g.revPlan, reviewInfo{
				product: i,
				rating:  min(5, max(1, rating)),
				created: between(r, earliest, g.anchor),
			})
		}
	}
	// Reviews read best in the order they were posted.
	slices.SortStableFunc(g.revPlan, func(a, b reviewInfo) int { return a.created.Compare(b.created) })
	return nil
}

func ean(r *rand.Rand) string {
	var b strings.Builder
	sum := 0
	for i := range 12 {
		d := r.IntN(10)
		if i == 0 {
			d = 1 + r.IntN(9)
		}
		b.WriteByte(byte('0' + d))
		if i%2 == 1 {
			sum += 3 * d
		} else {
			sum += d
		}
	}
	b.WriteByte(byte('0' + (10-sum%10)%10))
	return b.String()
}

func vendor(r *rand.Rand) string {
	form := pick(r, vendorForms)
	args := make([]any, strings.Count(form, "%s"))
	for i := range args {
		args[i] = pick(r, lastNames)
	}
	return fmt.Sprintf(form, args...)
}

// products emits PRODUCTS with ratings taken from the review plan.
func (g *generator) products() error {
	r := newRand(streamProducts)
	n := 200 * g.scale
	cats := make([]string, 0, n)
	for _, c := range categories {
		for range c.count * g.scale {
			cats = append(cats, c.name)
		}
	}
	r.Shuffle(n, func(i, j int) { cats[i], cats[j] = cats[j], cats[i] })
	sums := make([]int, n)
	nums := make([]int, n)
	for _, rv := range g.revPlan {
		sums[rv.product] += rv.rating
		nums[rv.product]++
	}
	seen := make(map[string]bool, n)
	g.prods = make([]productInfo, n)
	created := g.anchor.AddDate(-historyMonths/12, 0, 0)
	for i := range g.prods {
		noun := ""
		title := uniqueName(r, seen, func() string {
			noun = pick(r, productNouns)
			return pick(r, productAdjectives) + " " + pick(r, productMaterials) + " " + noun
		})
		price := 1569 + r.Int64N(9882-1569+1)
		g.prods[i] = productInfo{priceCents: price, noun: noun}
		rating := 0.0
		if nums[i] > 0 {
			rating = round(float64(sums[i])/float64(nums[i]), 1)
		}
		err := g.put(Products, int64(i+1), ean(r), title, cats[i], vendor(r), money(price), rating,
			between(r, created.AddDate(-1, 0, 0), created))
		if err != nil {
			return err
		}
	}
	return nil
}

// orders emits ORDERS grouped by buyer, each buyer's in time order.
func (g *generator) orders() error {
	r := newRand(streamOrders)
	// Orders by month: a winter holiday peak and a summer dip.
	seasonal := [13]float64{0, 0.85, 0.8, 0.9, 0.95, 1.0, 0.85, 0.8, 0.9, 0.95, 1.0, 1.25, 1.45}
	counts := make([]int, len(g.persons))
	for i := range counts {
		if r.Float64() < 0.7 {
			counts[i] = max(1, int(lognormal(r, 9.5, 0.6)))
		}
	}
	fitCounts(r, counts, 18760*g.scale, 1, 80, func(i int) bool { return counts[i] == 0 })
	popularity := make([]float64, len(g.prods))
	for i := range popularity {
		popularity[i] = lognormal(r, 1, 0.5)
	}
	prodPick := newWeighted(popularity)
	type order struct {
		at      time.Time
		product int
	}
	var batch []order
	id := int64(0)
	for p, c := range counts {
		batch = batch[:0]
		for len(batch) < c {
			t := between(r, g.persons[p].created, g.anchor)
			if r.Float64()*seasonal[12] < seasonal[t.Month()] {
				batch = append(batch, order{at: t, product: prodPick.draw(r)})
			}
		}
		slices.SortFunc(batch, func(a, b order) int { return a.at.Compare(b.at) })
		for _, o := range batch {
			sub := g.prods[o.product].priceCents
			tax := int64(math.Round(float64(sub) * g.persons[p].tax))
			var discount any
			total := sub + tax
			if r.Float64() < 0.1 {
				d := sub * int64(5+r.IntN(21)) / 100
				total -= d
				discount = money(d)
			}
			qty := 1 + int(r.ExpFloat64()*1.6)
			switch x := r.Float64(); {
			case x < 0.03:
				qty = 21 + r.IntN(80)
			case x < 0.2:
				qty = 5 + r.IntN(16)
			}
			id++
			err := g.put(Orders, id, int64(p+1), int64(o.product+1), money(sub), money(tax), money(total),
				discount, o.at, int64(qty))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// reviews emits REVIEWS from the plan made before PRODUCTS.
func (g *generator) reviews() error {
	r := newRand(streamReviews)
	for i, rv := range g.revPlan {
		var tmpl string
		switch {
		case rv.rating >= 4:
			tmpl = pick(r, reviewGood)
		case rv.rating == 3:
			tmpl = pick(r, reviewMid)
		default:
			tmpl = pick(r, reviewBad)
		}
		noun := strings.ToLower(g.prods[rv.product].noun)
		body := fmt.Sprintf(tmpl, noun) + pick(r, reviewExtras)
		first, last := ascii(pick(r, firstNames)), ascii(pick(r, lastNames))
		var reviewer string
		switch r.IntN(4) {
		case 0:
			reviewer = first + "." + last
		case 1:
			reviewer = first + fmt.Sprint(r.IntN(99)+1)
		case 2:
			reviewer = first[:1] + last
		default:
			reviewer = last + "_" + first
		}
		err := g.put(Reviews, int64(i+1), int64(rv.product+1), reviewer, int64(rv.rating), body, rv.created)
		if err != nil {
			return err
		}
	}
	return nil
}
