SELECT sightline_percentile("source"."payment", ?) AS "median", sightline_percentile("source"."payment", ?) AS "percentile" FROM "invoices" AS "source"
-- args: [0.5,0.9]
