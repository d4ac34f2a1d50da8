SELECT count(*) AS n FROM invoices WHERE status = ? AND payment > ?
-- args: ["Paid",50]
