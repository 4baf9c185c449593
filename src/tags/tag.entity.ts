import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A normalised tag name (see common/tag-names.ts), shared by every post that carries it. */
@Entity('tags')
export class Tag {
  @PrimaryColumn('uuid')
  id: string;

  @Index('UQ_tags_name', { unique: true })
  @Column({ type: 'varchar', length: 50 })
  name: string;

  @CreateDateColumn()
  createdAt: Date;
}
