SELECT `source`.`select` AS `select`, `source`.`my "quoted" col` AS `my "quoted" col`, `source`.`back``tick` AS `back``tick`, `source`.`two words` AS `two words` FROM `Order` AS `source` WHERE ((`source`.`my "quoted" col` LIKE BINARY ? ESCAPE '!') OR (`source`.`back``tick` = ?)) ORDER BY `source`.`select` ASC
-- args: ["%'%","a`b"]
