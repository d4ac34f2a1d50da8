SELECT sightline_convert_tz("source"."paid_at", ?, ?) AS "Tokyo" FROM "invoices" AS "source"
-- args: ["Asia/Tokyo","Europe/Berlin"]
