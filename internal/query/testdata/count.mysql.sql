SELECT COUNT(*) AS `count` FROM `invoices` AS `source`
-- args: []
