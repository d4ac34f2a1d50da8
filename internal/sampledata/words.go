package sampledata

// Vocabulary the generator draws from. These are read-only tables; nothing
// here is modified after initialisation.

var firstNames = []string{
	"Aaliyah", "Aaron", "Abigail", "Adrian", "Aiden", "Alana", "Albert", "Alejandro", "Alexa", "Alice",
	"Amara", "Amelia", "Andre", "Angela", "Anika", "Arthur", "Ava", "Beatrice", "Benjamin", "Bianca",
	"Brandon", "Bruno", "Caleb", "Camila", "Carlos", "Caroline", "Chloe", "Christopher", "Clara", "Connor",
	"Daniel", "Daria", "David", "Delia", "Diego", "Dominic", "Eleanor", "Elena", "Eli", "Elijah",
	"Emily", "Emma", "Ethan", "Evelyn", "Felix", "Fiona", "Gabriel", "Grace", "Hannah", "Harper",
	"Hazel", "Henry", "Hugo", "Ian", "Imani", "Isaac", "Isabella", "Ivy", "Jack", "Jasmine",
	"Javier", "Jayden", "Jenna", "Jonah", "Jordan", "Julia", "Kai", "Kara", "Kenji", "Laila",
	"Leah", "Leo", "Liam", "Lila", "Logan", "Lucas", "Lucy", "Madison", "Maya", "Mason",
	"Mateo", "Mia", "Miles", "Nadia", "Naomi", "Nathan", "Noah", "Nora", "Oliver", "Olivia",
	"Omar", "Oscar", "Priya", "Quinn", "Rafael", "Riley", "Rosa", "Ruby", "Samuel", "Sara",
	"Sofia", "Stella", "Theo", "Tobias", "Vera", "Victor", "Violet", "Wyatt", "Yara", "Zoe",
}

var lastNames = []string{
	"Abbott", "Adams", "Alvarez", "Anderson", "Bailey", "Barnes", "Becker", "Bennett", "Bergstrom", "Bishop",
	"Boyle", "Brooks", "Carter", "Castillo", "Chen", "Cole", "Collins", "Cruz", "Daniels", "Davis",
	"Dietrich", "Dubois", "Edwards", "Ellis", "Erdman", "Fischer", "Fleming", "Flores", "Foster", "Garcia",
	"Gibson", "Gomez", "Gray", "Greenholt", "Hahn", "Hansen", "Harris", "Hayes", "Herzog", "Hoffman",
	"Howell", "Hughes", "Ito", "Jacobs", "Jenkins", "Johnson", "Kemmer", "Kim", "Klein", "Kowalski",
	"Kuhn", "Larson", "Lebsack", "Lee", "Lopez", "Marquardt", "Martin", "Medhurst", "Meyer", "Miller",
	"Mitchell", "Moreno", "Murphy", "Nguyen", "Nolan", "Novak", "Okafor", "Olson", "Ortiz", "Patel",
	"Perez", "Price", "Quigley", "Ramos", "Reed", "Reyes", "Roberts", "Rossi", "Russell", "Sanchez",
	"Schmidt", "Schultz", "Shah", "Silva", "Singh", "Stark", "Stokes", "Sullivan", "Tanaka", "Thompson",
	"Torres", "Turner", "Vargas", "Volkman", "Walker", "Walsh", "Weber", "Wilson", "Wolf", "Young",
}

var freeMailDomains = []string{
	"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "protonmail.com", "aol.com", "fastmail.com",
}

// companyStems and companySuffixes make business email domains and vendors.
var companyStems = []string{
	"acme", "apex", "bluefin", "brightpath", "cobalt", "copperleaf", "driftwood", "evergreen", "foxglove",
	"granite", "harbor", "ironwood", "juniper", "keystone", "lakeside", "lumen", "maple", "meridian",
	"northwind", "oakridge", "pinnacle", "quarry", "redwood", "riverbend", "sable", "summit", "tidewater",
	"trident", "upland", "vantage", "westgate", "willow", "zenith",
}

var companySuffixes = []string{"labs", "works", "hq", "group", "systems", "co", "digital", "io"}

// Product titles are "Adjective Material Noun".
var productAdjectives = []string{
	"Aerodynamic", "Awesome", "Compact", "Durable", "Elegant", "Enormous", "Ergonomic", "Fantastic",
	"Gorgeous", "Heavy-Duty", "Incredible", "Intelligent", "Lightweight", "Mediocre", "Modern",
	"Practical", "Rugged", "Rustic", "Sleek", "Small", "Sturdy", "Synergistic", "Vintage", "Fancy",
}

var productMaterials = []string{
	"Aluminum", "Bronze", "Concrete", "Copper", "Cotton", "Glass", "Granite", "Iron", "Leather", "Linen",
	"Marble", "Paper", "Plastic", "Rubber", "Silk", "Steel", "Wooden", "Wool",
}

var productNouns = []string{
	"Bag", "Bench", "Bottle", "Car", "Chair", "Clock", "Coat", "Computer", "Gloves", "Hat",
	"Keyboard", "Knife", "Lamp", "Pants", "Plate", "Shirt", "Shoes", "Table", "Wallet", "Watch",
	"Jacket", "Mirror", "Pillow", "Backpack", "Toucan", "Bucket", "Hammer", "Kettle",
}

// categories and their share of the 200 products at scale 1.
var categories = []struct {
	name  string
	count int
}{{"Widget", 54}, {"Gadget", 53}, {"Gizmo", 51}, {"Doohickey", 42}}

var vendorForms = []string{"%s, %s and %s", "%s Inc", "%s-%s", "%s Group", "%s and Sons", "%s LLC"}

var peopleSources = []string{"Affiliate", "Facebook", "Google", "Organic", "Twitter"}

var accountSources = []string{"Invite", "Google", "Twitter", "Facebook"}

var streetNames = []string{
	"Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Main",
	"Church", "Walnut", "Sunset", "Highland", "Meadow", "River", "Forest", "Spring", "Ridge", "Lincoln",
	"Jackson", "Franklin", "Willow", "Birch", "Chestnut", "Mill", "Valley", "Cherry", "Madison", "Adams",
}

var streetTypes = []string{"Street", "Avenue", "Road", "Lane", "Drive", "Court", "Place", "Boulevard", "Way", "Trail"}

var cityStems = []string{
	"Ash", "Bell", "Brook", "Cedar", "Clear", "Fair", "Glen", "Green", "Hazel", "Holly",
	"Lake", "Maple", "Mill", "Oak", "Pine", "Red", "River", "Rock", "Rose", "Silver",
	"Spring", "Stone", "Sun", "White", "Willow", "Wood",
}

var citySuffixes = []string{"ville", "field", "wood", "dale", "ton", "view", "port", "ford", "brook", "ridge", "haven", "burg", "mont", "water"}

var cityPrefixes = []string{"North ", "South ", "East ", "West ", "Port ", "Mount ", "New ", "Lake "}

var pagePaths = []string{
	"/", "/pricing", "/features", "/docs", "/blog", "/blog/announcing-dashboards", "/blog/sql-tips",
	"/integrations", "/signup", "/login", "/about", "/contact", "/careers", "/customers", "/security",
}

// pageWeights weight pagePaths, index for index.
var pageWeights = []float64{20, 12, 10, 9, 6, 3, 3, 5, 6, 12, 3, 3, 2, 4, 2}

var buttonLabels = []string{"Sign Up", "Start Free Trial", "Request Demo", "Contact Sales", "Learn More", "Subscribe", "Upgrade Plan", "Download"}

var ratingWords = []string{"", "Poor", "Below Average", "Average", "Good", "Great"}

// feedbackBodies are templates per rating (index 1..5); %s is a feature name.
var feedbackBodies = [][]string{
	nil,
	{
		"The %s keeps breaking and support took a week to answer. We are looking at alternatives.",
		"Honestly disappointed. The %s never worked the way the demo showed.",
		"Too expensive for what it does, and the %s is painfully slow.",
	},
	{
		"The %s is fine when it works, but it fails often enough that the team stopped trusting it.",
		"We expected more from the %s. Setup was confusing and the docs are thin.",
		"Some good ideas, but the %s needs a lot more polish.",
	},
	{
		"It does the job. The %s could be simpler, but we get by.",
		"Decent value. We use the %s every week, though it is missing a few basics.",
		"Nothing to complain about and nothing to rave about. The %s is okay.",
	},
	{
		"Our team likes it. The %s saves us a couple of hours a week.",
		"Solid product and responsive support. The %s is the part we use most.",
		"Happy so far. A faster %s would make it perfect.",
	},
	{
		"Love it! The %s changed how our whole team works.",
		"Best tool we bought this year. The %s is brilliant and support is great.",
		"Setup took ten minutes and the %s just works. Highly recommended.",
	},
}

var features = []string{"dashboard", "reporting", "export", "search", "mobile app", "billing page", "API", "onboarding", "notification system", "integrations"}

// reviewOpeners and friends build review bodies per rating band.
var reviewGood = []string{
	"I really like this %s. It does exactly what it says.",
	"Great %s, well made and arrived quickly.",
	"This %s exceeded my expectations. Would buy again.",
	"Sturdy and good looking. The best %s I have owned.",
	"Five stars for the %s. My family uses it every day.",
}

var reviewMid = []string{
	"The %s is okay for the price, nothing special.",
	"Works as described, but the %s feels a bit cheap.",
	"Decent %s. Took a while to arrive.",
}

var reviewBad = []string{
	"The %s broke after a week. Not worth the money.",
	"Disappointed with this %s. It looks nothing like the photos.",
	"Returned the %s. Poor quality and bad instructions.",
}

var reviewExtras = []string{
	"", "", "", " Shipping was fast.", " The color is slightly different than pictured.",
	" I bought a second one as a gift.", " Customer service was helpful.", " Packaging could be better.",
	" Recommended.", " Would not recommend for heavy use.",
}

// country is where an account's office is: an ISO 3166 code, a point near
// its main population centre, how far to scatter around it (degrees) and a
// relative weight.
type country struct {
	code      string
	lat, long float64
	spread    float64
	weight    float64
}

var countries = []country{
	{"US", 39.5, -96.0, 9, 330}, {"CA", 45.4, -77.0, 4, 40}, {"GB", 52.3, -1.5, 1.6, 45}, {"DE", 51.2, 10.4, 2, 40},
	{"FR", 46.6, 2.2, 2.5, 35}, {"IN", 21.0, 78.0, 6, 40}, {"BR", -15.8, -47.9, 6, 30}, {"AU", -33.9, 151.2, 5, 25},
	{"NL", 52.1, 5.3, 0.6, 18}, {"ES", 40.4, -3.7, 2.5, 18}, {"IT", 42.8, 12.5, 2.5, 18}, {"JP", 35.7, 139.7, 3, 15},
	{"MX", 19.4, -99.1, 4, 14}, {"SE", 59.3, 18.1, 3, 10}, {"CH", 46.9, 7.4, 0.8, 9}, {"PL", 52.2, 21.0, 2, 10},
	{"BE", 50.8, 4.4, 0.6, 8}, {"AT", 48.2, 16.4, 1, 7}, {"DK", 55.7, 12.6, 1, 7}, {"NO", 59.9, 10.8, 2, 6},
	{"FI", 60.2, 24.9, 2, 5}, {"IE", 53.3, -6.3, 1, 7}, {"PT", 38.7, -9.1, 1, 6}, {"CZ", 50.1, 14.4, 1, 5},
	{"RO", 44.4, 26.1, 2, 5}, {"HU", 47.5, 19.0, 1, 4}, {"GR", 38.0, 23.7, 1.5, 4}, {"TR", 39.9, 32.9, 4, 7},
	{"RU", 55.8, 37.6, 5, 8}, {"UA", 50.5, 30.5, 3, 5}, {"IL", 32.1, 34.8, 0.5, 6}, {"AE", 25.2, 55.3, 0.5, 5},
	{"SA", 24.7, 46.7, 3, 4}, {"EG", 30.0, 31.2, 2, 4}, {"ZA", -26.2, 28.0, 3, 6}, {"NG", 6.5, 3.4, 3, 5},
	{"KE", -1.3, 36.8, 2, 3}, {"MA", 33.6, -7.6, 2, 2}, {"GH", 5.6, -0.2, 1.5, 2}, {"TN", 36.8, 10.2, 1, 1.5},
	{"DZ", 36.8, 3.1, 2, 1.5}, {"ET", 9.0, 38.7, 2, 1.5}, {"CN", 31.2, 121.5, 6, 10}, {"HK", 22.3, 114.2, 0.2, 4},
	{"TW", 25.0, 121.5, 1, 4}, {"KR", 37.6, 127.0, 1.5, 6}, {"SG", 1.35, 103.8, 0.1, 6}, {"MY", 3.1, 101.7, 2, 3},
	{"TH", 13.8, 100.5, 2, 3}, {"VN", 21.0, 105.8, 3, 3}, {"ID", -6.2, 106.8, 4, 4}, {"PH", 14.6, 121.0, 3, 4},
	{"PK", 24.9, 67.0, 3, 3}, {"BD", 23.8, 90.4, 1.5, 2}, {"LK", 6.9, 79.9, 1, 1.5}, {"NP", 27.7, 85.3, 1, 1.5},
	{"NZ", -41.3, 174.8, 3, 4}, {"AR", -34.6, -58.4, 4, 5}, {"CL", -33.4, -70.6, 3, 3}, {"CO", 4.7, -74.1, 3, 4},
	{"PE", -12.0, -77.0, 3, 2}, {"VE", 10.5, -66.9, 2, 1.5}, {"EC", -0.2, -78.5, 1.5, 1.5}, {"UY", -34.9, -56.2, 1, 1.5},
	{"CR", 9.9, -84.1, 0.7, 1.5}, {"PA", 9.0, -79.5, 0.7, 1.5}, {"GT", 14.6, -90.5, 1, 1.5}, {"DO", 18.5, -69.9, 0.8, 1.5},
	{"PR", 18.4, -66.1, 0.4, 1.5}, {"JM", 18.0, -76.8, 0.4, 1.5}, {"BO", -16.5, -68.1, 2, 1.5}, {"PY", -25.3, -57.6, 1.5, 1.5},
	{"HN", 14.1, -87.2, 1, 1.5}, {"SV", 13.7, -89.2, 0.5, 1.5}, {"NI", 12.1, -86.3, 1, 1.5}, {"CU", 23.1, -82.4, 1.5, 1.5},
	{"TT", 10.7, -61.5, 0.3, 1.5}, {"BS", 25.0, -77.3, 0.5, 1.5}, {"BB", 13.1, -59.6, 0.1, 1.5}, {"LU", 49.6, 6.1, 0.2, 2},
	{"IS", 64.1, -21.9, 1, 1.5}, {"EE", 59.4, 24.7, 1, 2}, {"LV", 56.9, 24.1, 1, 1.5}, {"LT", 54.7, 25.3, 1, 1.5},
	{"SK", 48.1, 17.1, 1, 1.5}, {"SI", 46.1, 14.5, 0.5, 1.5}, {"HR", 45.8, 16.0, 1, 1.5}, {"RS", 44.8, 20.5, 1, 1.5},
	{"BG", 42.7, 23.3, 1.5, 1.5}, {"BA", 43.9, 18.4, 0.8, 1.5}, {"MK", 42.0, 21.4, 0.5, 1.5}, {"AL", 41.3, 19.8, 0.5, 1.5},
	{"ME", 42.4, 19.3, 0.3, 1.5}, {"MT", 35.9, 14.5, 0.1, 1.5}, {"CY", 35.2, 33.4, 0.4, 1.5}, {"MD", 47.0, 28.9, 0.8, 1.5},
	{"BY", 53.9, 27.6, 2, 1.5}, {"GE", 41.7, 44.8, 1, 1.5}, {"AM", 40.2, 44.5, 0.5, 1.5}, {"AZ", 40.4, 49.9, 1, 1.5},
	{"KZ", 43.2, 76.9, 3, 1.5}, {"UZ", 41.3, 69.2, 2, 1.5}, {"KG", 42.9, 74.6, 1, 1.5}, {"QA", 25.3, 51.5, 0.3, 1.5},
	{"KW", 29.4, 48.0, 0.3, 1.5}, {"BH", 26.2, 50.6, 0.1, 1.5}, {"OM", 23.6, 58.4, 1.5, 1.5}, {"JO", 31.9, 35.9, 0.8, 1.5},
	{"LB", 33.9, 35.5, 0.3, 1.5}, {"IQ", 33.3, 44.4, 2, 1.5}, {"IR", 35.7, 51.4, 3, 1.5}, {"SN", 14.7, -17.4, 1, 1.5},
	{"CI", 5.3, -4.0, 1, 1.5}, {"CM", 3.9, 11.5, 1.5, 1.5}, {"UG", 0.3, 32.6, 1, 1.5}, {"TZ", -6.8, 39.3, 2, 1.5},
	{"RW", -1.9, 30.1, 0.5, 1.5}, {"ZM", -15.4, 28.3, 1.5, 1.5}, {"ZW", -17.8, 31.0, 1.5, 1.5}, {"BW", -24.6, 25.9, 1.5, 1.5},
	{"NA", -22.6, 17.1, 2, 1.5}, {"MU", -20.2, 57.5, 0.2, 1.5}, {"AO", -8.8, 13.2, 2, 1.5}, {"MZ", -25.9, 32.6, 2, 1.5},
	{"MG", -18.9, 47.5, 2, 1.5}, {"MN", 47.9, 106.9, 2, 1.5}, {"KH", 11.6, 104.9, 1, 1.5}, {"MM", 16.8, 96.2, 2, 1.5},
	{"LA", 18.0, 102.6, 1, 1.5}, {"BN", 4.9, 114.9, 0.2, 1.5}, {"MO", 22.2, 113.5, 0.05, 1.5}, {"FJ", -18.1, 178.4, 0.5, 1.5},
	{"PG", -9.4, 147.2, 1.5, 1.5}, {"AD", 42.5, 1.5, 0.1, 1.5}, {"MC", 43.7, 7.4, 0.02, 1.5}, {"LI", 47.1, 9.5, 0.05, 1.5},
}

// state is a US state for PEOPLE: a point near its middle, a scatter radius,
// its range of three-digit ZIP prefixes, its sales tax rate and a weight
// (roughly its population in millions).
type state struct {
	code         string
	lat, long    float64
	spread       float64
	zipLo, zipHi int
	tax          float64
	weight       float64
}

var states = []state{
	{"AL", 32.8, -86.8, 1.5, 350, 369, 0.04, 5.0}, {"AK", 61.4, -150.0, 2.5, 995, 999, 0, 0.7},
	{"AZ", 33.7, -111.9, 2, 850, 865, 0.056, 7.3}, {"AR", 34.9, -92.4, 1.5, 716, 729, 0.065, 3.0},
	{"CA", 36.8, -119.4, 3, 900, 961, 0.0725, 39}, {"CO", 39.0, -105.5, 2, 800, 816, 0.029, 5.8},
	{"CT", 41.6, -72.7, 0.4, 60, 69, 0.0635, 3.6}, {"DE", 39.0, -75.5, 0.3, 197, 199, 0, 1.0},
	{"FL", 28.1, -81.6, 2, 320, 349, 0.06, 22}, {"GA", 32.7, -83.4, 1.8, 300, 319, 0.04, 11},
	{"ID", 44.1, -114.7, 2, 832, 838, 0.06, 1.9}, {"IL", 40.0, -89.2, 2, 600, 629, 0.0625, 12.6},
	{"IN", 39.9, -86.3, 1.5, 460, 479, 0.07, 6.8}, {"IA", 42.0, -93.5, 1.5, 500, 528, 0.06, 3.2},
	{"KS", 38.5, -98.4, 2, 660, 679, 0.065, 2.9}, {"KY", 37.5, -85.3, 1.5, 400, 427, 0.06, 4.5},
	{"LA", 31.0, -92.0, 1.3, 700, 714, 0.0445, 4.6}, {"ME", 45.3, -69.2, 1.2, 39, 49, 0.055, 1.4},
	{"MD", 39.0, -76.8, 0.6, 206, 219, 0.06, 6.2}, {"MA", 42.3, -71.8, 0.6, 10, 27, 0.0625, 7.0},
	{"MI", 43.3, -84.5, 1.8, 480, 499, 0.06, 10}, {"MN", 46.3, -94.3, 2, 550, 567, 0.06875, 5.7},
	{"MS", 32.7, -89.7, 1.5, 386, 397, 0.07, 2.9}, {"MO", 38.4, -92.5, 1.8, 630, 658, 0.04225, 6.2},
	{"MT", 46.9, -110.4, 2.5, 590, 599, 0, 1.1}, {"NE", 41.5, -99.8, 2, 680, 693, 0.055, 2.0},
	{"NV", 39.3, -116.6, 2, 889, 898, 0.0685, 3.2}, {"NH", 43.7, -71.6, 0.6, 30, 38, 0, 1.4},
	{"NJ", 40.1, -74.5, 0.5, 70, 89, 0.06625, 9.3}, {"NM", 34.4, -106.1, 2, 870, 884, 0.05125, 2.1},
	{"NY", 42.9, -75.5, 1.5, 100, 149, 0.04, 19.6}, {"NC", 35.6, -79.4, 1.8, 270, 289, 0.0475, 10.8},
	{"ND", 47.5, -100.5, 2, 580, 588, 0.05, 0.8}, {"OH", 40.3, -82.8, 1.5, 430, 458, 0.0575, 11.8},
	{"OK", 35.6, -97.5, 1.8, 730, 749, 0.045, 4.0}, {"OR", 44.0, -120.6, 2, 970, 979, 0, 4.2},
	{"PA", 40.9, -77.8, 1.5, 150, 196, 0.06, 13}, {"RI", 41.7, -71.5, 0.2, 28, 29, 0.07, 1.1},
	{"SC", 33.9, -80.9, 1.2, 290, 299, 0.06, 5.3}, {"SD", 44.4, -100.2, 2, 570, 577, 0.042, 0.9},
	{"TN", 35.9, -86.4, 1.5, 370, 385, 0.07, 7.1}, {"TX", 31.5, -99.3, 3.5, 750, 799, 0.0625, 30},
	{"UT", 39.3, -111.7, 1.8, 840, 847, 0.061, 3.4}, {"VT", 44.1, -72.7, 0.5, 50, 59, 0.06, 0.65},
	{"VA", 37.5, -78.8, 1.5, 220, 246, 0.053, 8.7}, {"WA", 47.4, -120.5, 2, 980, 994, 0.065, 7.8},
	{"WV", 38.6, -80.6, 1, 247, 268, 0.06, 1.8}, {"WI", 44.6, -89.9, 1.5, 530, 549, 0.05, 5.9},
	{"WY", 43.0, -107.5, 2, 820, 831, 0.04, 0.58},
}
