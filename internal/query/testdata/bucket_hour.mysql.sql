SELECT DATE_FORMAT(`source`.`paid_at`, '%Y-%m-%d %H:00:00') AS `paid_at`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
