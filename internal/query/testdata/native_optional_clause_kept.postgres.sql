SELECT count(*) AS n FROM invoices WHERE status = $1 AND payment > $2
-- args: ["Paid",50]
