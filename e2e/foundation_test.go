package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestFirstRunSignInJourney follows a new administrator: the first visit
// leads to setup; setup signs them in to the page shell; they sign out, try
// a wrong password, and sign in again.
func TestFirstRunSignInJourney(t *testing.T) {
	s := startSightline(t, "127.0.0.1", nil)
	ctx := browser(t)

	do(t, ctx, chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/setup") {
		t.Fatalf("first visit landed on %s, want /setup", loc)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name="first_name"]`), "Grace"),
		chromedp.SendKeys(chromedp.CSS(`input[name="last_name"]`), "Hopper"),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "grace@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "cobol rules 1959"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password_confirm"]`), "cobol rules 1959"),
	)
	submitAndWait(t, ctx, `#setup-form button[type="submit"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#greeting")))
	if g := text(t, ctx, "#greeting"); !strings.Contains(g, "Grace") {
		t.Errorf("greeting = %q, want it to name Grace", g)
	}
	// The page shell: logo, search, + New, user menu and side navigation.
	for _, sel := range []string{"#topbar", "#logo", `input[type="search"]`, ".new-menu", ".user-menu", "#sidenav"} {
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	nav := text(t, ctx, "#sidenav")
	for _, want := range []string{"Home", "Our analytics", "Browse data", "Admin settings"} {
		if !strings.Contains(nav, want) {
			t.Errorf("side navigation %q lacks %q", nav, want)
		}
	}
	// The side navigation collapses.
	do(t, ctx, chromedp.Click(chromedp.CSS("#nav-toggle")), chromedp.Sleep(400*time.Millisecond))
	if right := run(t, ctx, chromedp.Evaluate[float64](`document.getElementById("sidenav").getBoundingClientRect().right`)); right > 0 {
		t.Errorf("side navigation still on screen after the toggle (right edge at %v px)", right)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#nav-toggle")))
	shot(t, ctx, "shell")

	// Sign out through the user menu.
	do(t, ctx, chromedp.Click(chromedp.CSS(".user-menu summary")))
	submitAndWait(t, ctx, `.user-menu button[type="submit"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#login-form")))

	// A wrong password: the generic message, and still on the sign-in page.
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), "grace@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), "wrong password"),
	)
	submitAndWait(t, ctx, `#login-form button[type="submit"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#login-error")))
	if msg := text(t, ctx, "#login-error"); msg != "That email and password did not match. Please try again." {
		t.Errorf("wrong-password message = %q", msg)
	}

	// The right password signs in again.
	do(t, ctx,
		chromedp.Clear(chromedp.CSS(`#login-form input[name="password"]`)),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), "cobol rules 1959"),
	)
	submitAndWait(t, ctx, `#login-form button[type="submit"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#greeting")))
	if loc := location(t, ctx); strings.Contains(loc, "/auth/login") {
		t.Errorf("after sign-in the page is %s, want home", loc)
	}
}
