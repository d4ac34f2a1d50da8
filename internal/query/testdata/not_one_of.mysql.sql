SELECT `source`.`status` AS `status`, COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (`source`.`status` NOT IN (?, ?) OR `source`.`status` IS NULL) GROUP BY 1 ORDER BY 1 ASC
-- args: ["Paid","Open"]
