SELECT (FLOOR(CAST(`source`.`payment` AS DOUBLE) / ?) * ?) AS `payment`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: [50,50]
