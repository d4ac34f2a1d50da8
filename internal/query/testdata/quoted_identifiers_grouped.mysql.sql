SELECT DATE_FORMAT(`source`.`two words`, '%Y-%m-01') AS `two words`, COUNT(*) AS `count` FROM `Order` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
