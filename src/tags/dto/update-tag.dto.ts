import { PartialType } from '@nestjs/swagger';
import { CreateTagDto } from './create-tag.dto';

/** Rename; `null` is a 400 (a tag always has a name). */
export class UpdateTagDto extends PartialType(CreateTagDto, { skipNullProperties: false }) {}
