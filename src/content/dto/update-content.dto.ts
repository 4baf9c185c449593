import { PartialType } from '@nestjs/swagger';
import { CreateContentDto } from './create-content.dto';

/** PATCH: only the fields given are `$set`; `metadata` given is replaced as a whole. */
export class UpdateContentDto extends PartialType(CreateContentDto, {
  skipNullProperties: false,
}) {}
