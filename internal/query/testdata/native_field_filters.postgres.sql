SELECT count(*) AS n FROM invoices WHERE ("invoices"."status" IN ($1, $2)) AND ("invoices"."date_received" >= $3 AND "invoices"."date_received" < $4) AND 1 = 1
-- args: ["Paid","Open","2023-03-01","2024-01-01"]
